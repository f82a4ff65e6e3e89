import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { supplierIdOf, viewerOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { runMutation } from "../core/payload";
import { Money } from "../core/money.type";
import { minimumRetailPrice } from "../store/store.rules";
import * as catalog from "./catalog.service";
import { CatalogErrorCode } from "./catalog.rules";
import {
  AdjustStockInput,
  AdjustStockPayload,
  CatalogProduct,
  CatalogProductConnection,
  CatalogSku,
  CreateProductInput,
  CreateProductPayload,
  SupplierProduct,
  SupplierProductConnection,
  SupplierSku,
  UpdateProductInput,
  UpdateProductPayload,
} from "./catalog.types";


export function toSupplierProduct(row: catalog.ProductRow): SupplierProduct {
  return Object.assign(new SupplierProduct(), {
    id: row.id,
    title: row.title,
    description: row.description,
    category: row.category,
    specAxes: row.specAxes,
    images: row.imageKeys.map(catalog.imageUrl),
    createdAt: row.createdAt,
    row,
  });
}

function toCatalogProduct(row: catalog.ProductRow): CatalogProduct {
  return Object.assign(new CatalogProduct(), {
    id: row.id,
    title: row.title,
    description: row.description,
    category: row.category,
    images: row.imageKeys.map(catalog.imageUrl),
    specAxes: row.specAxes,
    row,
  });
}

/** The supplier portal: the viewer's own catalog. */
@Authorized(Permission.CATALOG_MANAGE)
@Resolver(() => SupplierProduct)
export class SupplierCatalogResolver {
  @Query(() => SupplierProductConnection, { description: "Products of the viewer's supplier company" })
  async supplierProducts(
    @C() ctx: Ctx,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await catalog.supplierProducts(ctx.db, supplierIdOf(ctx), window), window);
    return { ...page, nodes: page.nodes.map(toSupplierProduct) };
  }

  @Query(() => SupplierProduct, { description: "One product of the viewer's supplier company" })
  async supplierProduct(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await catalog.supplierProduct(ctx.db, supplierIdOf(ctx), requireId(id, "商品"));
    if (!row) throw notFound("商品");
    return toSupplierProduct(row);
  }

  @FieldResolver(() => [SupplierSku])
  async skus(@Root() product: SupplierProduct, @C() ctx: Ctx) {
    return (await ctx.loaders.skusByProduct.load(product.id)).map(SupplierSku.from);
  }

  @FieldResolver(() => Int, { description: "How many stores resell this product" })
  async resellerCount(@Root() product: SupplierProduct, @C() ctx: Ctx) {
    return ctx.loaders.resellerCount.load(product.id);
  }

  @Mutation(() => UpdateProductPayload, { description: "Edit a product's title, description and category (same checks as creating it)" })
  async updateProduct(@C() ctx: Ctx, @Arg("input", () => UpdateProductInput) input: UpdateProductInput) {
    const supplierId = supplierIdOf(ctx);
    const { result, errors } = await runMutation(CatalogErrorCode, () => catalog.updateProductTexts(ctx, supplierId, requireId(input.productId, "商品"), input));
    return { product: result ? toSupplierProduct(result) : null, errors };
  }

  @Mutation(() => CreateProductPayload, { description: "Create a product with its SKUs; texts with Advertising Law terms are refused (AD_LAW_TERMS)" })
  async createProduct(@C() ctx: Ctx, @Arg("input", () => CreateProductInput) input: CreateProductInput) {
    const supplierId = supplierIdOf(ctx);
    const { result, errors } = await runMutation(CatalogErrorCode, () =>
      catalog.createProduct(ctx, supplierId, viewerOf(ctx).userId, input),
    );
    return { product: result ? toSupplierProduct(result) : null, errors };
  }

  @Mutation(() => AdjustStockPayload, { description: "Add or remove stock of one SKU" })
  async adjustStock(@C() ctx: Ctx, @Arg("input", () => AdjustStockInput) input: AdjustStockInput) {
    const supplierId = supplierIdOf(ctx);
    const { result, errors } = await runMutation(CatalogErrorCode, () =>
      catalog.adjustSkuStock(ctx, supplierId, requireId(input.skuId, "SKU"), input.delta),
    );
    return { sku: result ? SupplierSku.from(result) : null, errors };
  }
}

/** 选品: merchants browse every supplier's active products. */
@Authorized(Permission.STORE_MANAGE)
@Resolver(() => CatalogProduct)
export class MerchantCatalogResolver {
  @Query(() => CatalogProductConnection, { description: "Supplier products a merchant can list (选品)" })
  async catalogProducts(
    @C() ctx: Ctx,
    @Arg("search", () => String, { nullable: true }) search?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await catalog.browseCatalog(ctx.db, { search }, window), window);
    return { ...page, nodes: page.nodes.map(toCatalogProduct) };
  }

  @Query(() => CatalogProduct)
  async catalogProduct(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await catalog.catalogProduct(ctx.db, requireId(id, "商品"));
    if (!row) throw notFound("商品");
    return toCatalogProduct(row);
  }

  @FieldResolver(() => String)
  async supplierName(@Root() product: CatalogProduct, @C() ctx: Ctx) {
    return ctx.loaders.supplierName.load(product.row.supplierId);
  }

  @FieldResolver(() => [CatalogSku])
  async skus(@Root() product: CatalogProduct, @C() ctx: Ctx) {
    const [rows, economics] = await Promise.all([ctx.loaders.skusByProduct.load(product.id), ctx.loaders.economics.load("")]);
    return rows.map((s) =>
      Object.assign(new CatalogSku(), {
        id: s.id,
        label: s.label,
        supplyPrice: Money.of(s.supplyPrice),
        suggestedPrice: Money.of(s.suggestedPrice),
        minRetailPrice: Money.of(minimumRetailPrice(s.supplyPrice, economics)),
        inStock: s.stock > 0,
      }),
    );
  }

  @FieldResolver(() => ID, { nullable: true, description: "The viewer's listing of this product, if listed" })
  async myListingId(@Root() product: CatalogProduct, @C() ctx: Ctx) {
    const storeId = viewerOf(ctx).storeId;
    if (!storeId) return null;
    return ctx.loaders.listingByStoreProduct.load(`${storeId}:${product.id}`);
  }
}

