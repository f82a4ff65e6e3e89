import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import type { Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { isUuid } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { imageUrl, type ProductRow } from "../catalog/catalog.service";
import * as store from "./store.service";
import { PriceRange, ShopProduct, ShopProductConnection, ShopSku, ShopStore } from "./store.types";

export function toShopProduct(listing: store.ListingRow, product: ProductRow): ShopProduct {
  return Object.assign(new ShopProduct(), {
    id: listing.id,
    title: product.title,
    description: product.description,
    category: product.category,
    images: product.imageKeys.map(imageUrl),
    specAxes: product.specAxes,
    listing,
    product,
  });
}

async function requireStore(ctx: Ctx, slug: string) {
  const row = await store.storeBySlug(ctx.db, slug);
  if (!row) throw notFound("店铺");
  return row;
}

/** The public storefront: anyone may browse. */
@Authorized(Permission.PUBLIC)
@Resolver(() => ShopProduct)
export class ShopResolver {
  @Query(() => ShopStore, { description: "A store by its public slug" })
  async shopStore(@C() ctx: Ctx, @Arg("slug", () => String) slug: string) {
    return ShopStore.from(await requireStore(ctx, slug));
  }

  @Query(() => [String], { description: "Categories with products on shelf in a store" })
  async shopCategories(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string) {
    return store.storeCategories(ctx.db, (await requireStore(ctx, storeSlug)).id);
  }

  @Query(() => ShopProductConnection, { description: "Products on shelf in a store" })
  async shopProducts(
    @C() ctx: Ctx,
    @Arg("storeSlug", () => String) storeSlug: string,
    @Arg("search", () => String, { nullable: true }) search?: string,
    @Arg("category", () => String, { nullable: true }) category?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const storeRow = await requireStore(ctx, storeSlug);
    const page = toPage(await store.shopListings(ctx.db, storeRow.id, { search, category }, window), window);
    const productRows = await ctx.loaders.product.loadMany(page.nodes.map((l) => l.productId));
    return {
      ...page,
      nodes: page.nodes.map((l, i) => toShopProduct(l, productRows[i] as ProductRow)),
    };
  }

  @Query(() => ShopProduct, { description: "One product of a store" })
  async shopProduct(@C() ctx: Ctx, @Arg("storeSlug", () => String) storeSlug: string, @Arg("id", () => ID) id: string) {
    const storeRow = await requireStore(ctx, storeSlug);
    const listing = isUuid(id) ? await store.shopListing(ctx.db, storeRow.id, id.toLowerCase()) : null;
    if (!listing) throw notFound("商品");
    const product = await ctx.loaders.product.load(listing.productId);
    if (!product) throw notFound("商品");
    return toShopProduct(listing, product);
  }

  @FieldResolver(() => [ShopSku])
  async skus(@Root() p: ShopProduct, @C() ctx: Ctx): Promise<ShopSku[]> {
    const [rows, prices] = await Promise.all([ctx.loaders.skusByProduct.load(p.product.id), ctx.loaders.listingPrices.load(p.id)]);
    return rows
      .filter((s) => prices.has(s.id))
      .map((s) =>
        Object.assign(new ShopSku(), {
          id: s.id,
          label: s.label,
          specs: s.specs,
          price: Money.of(prices.get(s.id)!),
          originalPrice: Money.of(Math.max(s.suggestedPrice, prices.get(s.id)!)),
          stock: s.stock,
        }),
      );
  }

  @FieldResolver(() => PriceRange)
  async priceRange(@Root() p: ShopProduct, @C() ctx: Ctx): Promise<PriceRange> {
    const values = [...(await ctx.loaders.listingPrices.load(p.id)).values()];
    const min = values.length ? Math.min(...values) : 0;
    const max = values.length ? Math.max(...values) : 0;
    return Object.assign(new PriceRange(), { min: Money.of(min), max: Money.of(max) });
  }

  @FieldResolver(() => Int, { description: "Units sold (all stores)" })
  async soldCount(@Root() p: ShopProduct, @C() ctx: Ctx) {
    return (await ctx.loaders.skusByProduct.load(p.product.id)).reduce((n, s) => n + s.sold, 0);
  }

  @FieldResolver(() => Boolean)
  async inStock(@Root() p: ShopProduct, @C() ctx: Ctx) {
    return (await ctx.loaders.skusByProduct.load(p.product.id)).some((s) => s.stock > 0);
  }
}
