import { Money } from "../core/money.type";
import { imageUrl } from "../catalog/catalog.service";
import { ORDER_STATUS_TEXT } from "./order.rules";
import type { OrderRow } from "./checkout.service";
import type { ShipmentRow } from "./fulfilment.service";
import type { OrderLineRow } from "./order-queries.service";
import { AUTO_RECEIVE_MS } from "./order.rules";
import { MerchantOrder, OrderStatus, ShipmentStatus, ShopOrder, ShopOrderLine, ShopShipment, SupplierShipment } from "./order.types";

/** Row → GraphQL shape mappers (the "reshape" layer); no database access here. */
function base(row: OrderRow) {
  return {
    id: row.id,
    orderNo: row.orderNo,
    status: row.status as OrderStatus,
    statusText: ORDER_STATUS_TEXT[row.status],
    goodsAmount: Money.of(row.goodsAmount),
    freightAmount: Money.of(row.freightAmount),
    totalAmount: Money.of(row.totalAmount),
    createdAt: row.createdAt,
    paidAt: row.paidAt,
    row,
  };
}

export const toShopOrder = (row: OrderRow) =>
  Object.assign(new ShopOrder(), {
    ...base(row),
    expiresAt: row.status === "PENDING_PAYMENT" ? row.expiresAt : null,
    discountAmount: Money.of(row.discountAmount),
    pointsUsed: row.pointsUsed,
  });

export const toMerchantOrder = (row: OrderRow) => Object.assign(new MerchantOrder(), base(row));

export const toShopOrderLine = (l: OrderLineRow) =>
  Object.assign(new ShopOrderLine(), {
    id: l.id,
    title: l.productTitle,
    skuLabel: l.skuLabel,
    image: l.imageKey ? imageUrl(l.imageKey) : null,
    quantity: l.quantity,
    unitPrice: Money.of(l.unitPrice),
    amount: Money.of(l.paidAmount),
    refundedAmount: Money.of(l.refundedAmount),
  });

export const toShopShipment = (s: ShipmentRow) =>
  Object.assign(new ShopShipment(), {
    id: s.id,
    status: s.status as ShipmentStatus,
    carrier: s.carrier,
    trackingNo: s.trackingNo,
    shippedAt: s.shippedAt,
    receivedAt: s.receivedAt,
    autoReceiveAt: s.status === "SHIPPED" && s.shippedAt ? new Date(s.shippedAt.getTime() + AUTO_RECEIVE_MS) : null,
  });

export const toSupplierShipment = (s: ShipmentRow) =>
  Object.assign(new SupplierShipment(), {
    id: s.id,
    status: s.status as ShipmentStatus,
    carrier: s.carrier,
    trackingNo: s.trackingNo,
    createdAt: s.createdAt,
    shippedAt: s.shippedAt,
    freightAmount: Money.of(s.freightAmount),
    row: s,
  });
