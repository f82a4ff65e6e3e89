import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage, type AuthChecker } from "type-graphql";
import type { Ctx } from "./core/context";
import { Permission } from "./core/permissions";
import { forbidden, unauthenticated } from "./core/errors";
import { IdentityResolver } from "./identity/identity.resolver";
import { PrivacyResolver } from "./identity/privacy.resolver";
import { MerchantCatalogResolver, SupplierCatalogResolver } from "./catalog/catalog.resolver";
import { ShopResolver } from "./store/shop.resolver";
import { MerchantStoreResolver } from "./store/merchant-store.resolver";
import { ShopOrderResolver } from "./order/shop-order.resolver";
import { ShopCartResolver } from "./order/shop-cart.resolver";
import { MerchantOrderResolver } from "./order/merchant-order.resolver";
import { SupplierShipmentResolver } from "./order/supplier-shipment.resolver";
import { MerchantAfterSaleResolver, ShopAfterSaleResolver } from "./order/aftersale.resolver";
import { PaymentResolver } from "./payment/payment.resolver";
import { OperatorResolver } from "./platform/operator.resolver";
import { MyReferralResolver, RuleBookResolver } from "./referral/referral.resolver";
import { RuleSetAdminResolver } from "./referral/rule-set.resolver";
import { MyWalletResolver, WithdrawalReviewResolver } from "./referral/wallet.resolver";
import { NotificationResolver } from "./notification/notification.resolver";
import { RiskConsoleResolver } from "./risk/risk.resolver";
import { MerchantFlashSaleResolver, ShopFlashSaleResolver } from "./marketing/flash-sale.resolver";
import { MerchantGroupBuyResolver, ShopGroupBuyResolver, ShopOrderGroupBuyResolver } from "./marketing/group-buy.resolver";
import { MerchantCouponResolver, PlatformCouponResolver, ShopCouponResolver } from "./marketing/coupon.resolver";
import { MyPointsResolver, PointsAdminResolver } from "./points/points.resolver";
import { AnchorResolver, MerchantLiveResolver, ShopLiveResolver } from "./live/live.resolver";
import { AdCopyResolver, LiveAdminResolver, MerchantLiveModerationResolver, ShopProductChaptersResolver } from "./live/live-admin.resolver";
import { LiveScriptResolver } from "./live/live-script.resolver";
import { MerchantLiveFieldsResolver, ShopLiveFieldsResolver } from "./live/live-fields.resolver";
import { LiveAnalyticsResolver } from "./live/live-analytics.resolver";
import { MerchantTrainingResolver, SupplierTrainingLiveFieldsResolver, SupplierTrainingResolver, TrainingLiveFieldsResolver, TrainingRoomResolver } from "./live/training.resolver";

export const resolvers = [
  IdentityResolver,
  PrivacyResolver,
  ShopResolver,
  ShopCartResolver,
  ShopOrderResolver,
  ShopAfterSaleResolver,
  PaymentResolver,
  MerchantCatalogResolver,
  MerchantStoreResolver,
  MerchantOrderResolver,
  MerchantAfterSaleResolver,
  SupplierCatalogResolver,
  SupplierShipmentResolver,
  OperatorResolver,
  RuleBookResolver,
  MyReferralResolver,
  RuleSetAdminResolver,
  MyWalletResolver,
  WithdrawalReviewResolver,
  NotificationResolver,
  RiskConsoleResolver,
  ShopFlashSaleResolver,
  MerchantFlashSaleResolver,
  ShopGroupBuyResolver,
  ShopOrderGroupBuyResolver,
  MerchantGroupBuyResolver,
  ShopCouponResolver,
  MerchantCouponResolver,
  PlatformCouponResolver,
  MyPointsResolver,
  PointsAdminResolver,
  ShopLiveResolver,
  MerchantLiveResolver,
  AnchorResolver,
  LiveScriptResolver,
  LiveAnalyticsResolver,
  LiveAdminResolver,
  MerchantLiveModerationResolver,
  AdCopyResolver,
  ShopProductChaptersResolver,
  MerchantTrainingResolver,
  TrainingRoomResolver,
  SupplierTrainingResolver,
  TrainingLiveFieldsResolver,
  SupplierTrainingLiveFieldsResolver,
  ShopLiveFieldsResolver,
  MerchantLiveFieldsResolver,
] as const;

/** PUBLIC lets anyone through; otherwise the viewer needs one of the named permissions. */
export const authChecker: AuthChecker<Ctx, string> = ({ context }, permissions) => {
  if (permissions.includes(Permission.PUBLIC)) return true;
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (!permissions.some((p) => viewer.permissions.has(p as Permission))) throw forbidden();
  return true;
};

/** Every query, mutation and field resolver must name its permissions; returns those that do not. */
export function unguardedOperations(list: readonly Function[] = resolvers): string[] {
  const storage = getMetadataStorage();
  const ours = new Set<Function>(list);
  const all = [
    ...storage.queries.map((q) => ({ kind: "Query", def: q })),
    ...storage.mutations.map((m) => ({ kind: "Mutation", def: m })),
    ...storage.fieldResolvers.map((f) => ({ kind: "Field", def: f })),
  ];
  // A field resolver inherited from an abstract base (e.g. trainingLiveFields) is stored against the
  // base class, which is not in the list itself: it counts when a listed resolver extends it.
  const isOurs = (target: Function) => ours.has(target) || list.some((r) => Object.prototype.isPrototypeOf.call(target, r));
  return all
    .filter(({ def }) => isOurs(def.target))
    .filter(({ def }) => !def.roles || def.roles.length === 0)
    .map(({ kind, def }) => `${kind}.${def.schemaName}`);
}

let built: Promise<GraphQLSchema> | undefined;

/** Builds the one schema (once per module instance) and refuses to serve an unguarded operation. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, authChecker, validate: false }).then((schema) => {
    const unguarded = unguardedOperations();
    if (unguarded.length) throw new Error(`Unguarded GraphQL operations: ${unguarded.join(", ")}`);
    return schema;
  });
  return built;
}
