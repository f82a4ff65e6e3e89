import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps } from "./columns";
import { suppliers } from "./identity";

export const productStatusEnum = pgEnum("product_status", ["ACTIVE", "ARCHIVED"]);

/** A specification axis such as 颜色 with its values (红, 白). */
export type SpecAxis = { name: string; values: string[] };
/** The value chosen on every axis for one SKU, in axis order. */
export type SpecValue = { axis: string; value: string };

export const products = pgTable(
  "products",
  {
    id: id(),
    supplierId: uuid("supplier_id").notNull().references(() => suppliers.id),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    category: text("category").notNull(),
    specAxes: jsonb("spec_axes").$type<SpecAxis[]>().notNull(),
    /** Storage keys of the product images, first is the cover. */
    imageKeys: jsonb("image_keys").$type<string[]>().notNull(),
    status: productStatusEnum("status").notNull().default("ACTIVE"),
    ...timestamps,
  },
  (t) => [index("products_supplier_idx").on(t.supplierId, t.createdAt)],
);

export const skus = pgTable(
  "skus",
  {
    id: id(),
    productId: uuid("product_id").notNull().references(() => products.id),
    specs: jsonb("specs").$type<SpecValue[]>().notNull(),
    /** Human label derived from specs, e.g. "红 / L". */
    label: text("label").notNull(),
    supplyPrice: money("supply_price").notNull(),
    suggestedPrice: money("suggested_price").notNull(),
    /** Available units; reserved by a conditional UPDATE at order time, and never negative. */
    stock: integer("stock").notNull(),
    sold: integer("sold").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    index("skus_product_idx").on(t.productId),
    uniqueIndex("skus_product_label_uq").on(t.productId, t.label),
    check("skus_stock_non_negative", sql`${t.stock} >= 0`),
    check("skus_supply_price_positive", sql`${t.supplyPrice} > 0`),
    check("skus_suggested_price_positive", sql`${t.suggestedPrice} > 0`),
  ],
);
