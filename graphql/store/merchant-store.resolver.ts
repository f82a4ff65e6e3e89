import { Arg, Authorized, Ctx as C, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Permission } from "../core/permissions";
import { storeIdOf, type Ctx } from "../core/context";
import { notFound } from "../core/errors";
import { requireId } from "../core/ids";
import { pageWindow, toPage } from "../core/connection";
import { Money } from "../core/money.type";
import { runMutation } from "../core/payload";
import { bpCeil } from "../platform/money";
import { imageUrl, type ProductRow } from "../catalog/catalog.service";
import * as store from "./store.service";
import { ListingErrorCode, minimumRetailPrice } from "./store.rules";
import {
  ListProductInput,
  ListingPayload,
  ListingStatus,
  MerchantListing,
  MerchantListingConnection,
  MerchantListingSku,
  MerchantStore,
  SetListingStatusInput,
  UpdateListingPricesInput,
} from "./store.types";


async function toMerchantListing(ctx: Ctx, listing: store.ListingRow): Promise<MerchantListing> {
  const product = (await ctx.loaders.product.load(listing.productId)) as ProductRow;
  return Object.assign(new MerchantListing(), {
    id: listing.id,
    status: listing.status as ListingStatus,
    title: product.title,
    images: product.imageKeys.map(imageUrl),
    listedAt: listing.createdAt,
    listing,
  });
}

const normalizePrices = (prices: { skuId: string; retailPrice: number }[]) =>
  prices.map((p) => ({ skuId: requireId(p.skuId, "SKU"), retailPrice: p.retailPrice }));

/** The merchant's storefront builder: their store, listings and prices. */
@Authorized(Permission.STORE_MANAGE)
@Resolver(() => MerchantListing)
export class MerchantStoreResolver {
  @Query(() => MerchantStore, { description: "The viewer's own store" })
  async myStore(@C() ctx: Ctx) {
    const row = await store.storeById(ctx.db, storeIdOf(ctx));
    if (!row) throw notFound("店铺");
    return Object.assign(new MerchantStore(), { id: row.id, slug: row.slug, name: row.name, tagline: row.tagline });
  }

  @Query(() => MerchantListingConnection, { description: "Products listed in the viewer's store" })
  async merchantListings(
    @C() ctx: Ctx,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await store.storeListings(ctx.db, storeIdOf(ctx), window), window);
    return { ...page, nodes: await Promise.all(page.nodes.map((l) => toMerchantListing(ctx, l))) };
  }

  @Query(() => MerchantListing)
  async merchantListing(@C() ctx: Ctx, @Arg("id", () => ID) id: string) {
    const row = await store.storeListing(ctx.db, storeIdOf(ctx), requireId(id, "商品"));
    if (!row) throw notFound("商品");
    return toMerchantListing(ctx, row);
  }

  @FieldResolver(() => [MerchantListingSku])
  async skus(@Root() l: MerchantListing, @C() ctx: Ctx) {
    const [rows, prices, economics] = await Promise.all([
      ctx.loaders.skusByProduct.load(l.listing.productId),
      ctx.loaders.listingPrices.load(l.id),
      ctx.loaders.economics.load(""),
    ]);
    return rows.map((s) => {
      const retail = prices.get(s.id) ?? 0;
      return Object.assign(new MerchantListingSku(), {
        skuId: s.id,
        label: s.label,
        supplyPrice: Money.of(s.supplyPrice),
        suggestedPrice: Money.of(s.suggestedPrice),
        retailPrice: Money.of(retail),
        grossMargin: Money.of(retail - s.supplyPrice),
        minimumNetMargin: Money.of(
          retail - s.supplyPrice - bpCeil(retail, economics.platformFeeBp) - bpCeil(retail, economics.commissionCapBp),
        ),
        minRetailPrice: Money.of(minimumRetailPrice(s.supplyPrice, economics)),
        stock: s.stock,
      });
    });
  }

  @Mutation(() => ListingPayload, { description: "List a supplier product in the viewer's store (一键铺货)" })
  async listProduct(@C() ctx: Ctx, @Arg("input", () => ListProductInput) input: ListProductInput) {
    const { result, errors } = await runMutation(ListingErrorCode, async () => {
      const row = await store.listProduct(ctx, storeIdOf(ctx), requireId(input.productId, "商品"), normalizePrices(input.prices));
      return toMerchantListing(ctx, row);
    });
    return { listing: result, errors };
  }

  @Mutation(() => ListingPayload, { description: "Change the store's prices of a listing" })
  async updateListingPrices(@C() ctx: Ctx, @Arg("input", () => UpdateListingPricesInput) input: UpdateListingPricesInput) {
    const { result, errors } = await runMutation(ListingErrorCode, async () => {
      const row = await store.updateListingPrices(ctx, storeIdOf(ctx), requireId(input.listingId, "商品"), normalizePrices(input.prices));
      ctx.loaders.listingPrices.clear(row.id);
      return toMerchantListing(ctx, row);
    });
    return { listing: result, errors };
  }

  @Mutation(() => ListingPayload, { description: "Put a listing on or off the shelf" })
  async setListingStatus(@C() ctx: Ctx, @Arg("input", () => SetListingStatusInput) input: SetListingStatusInput) {
    const { result, errors } = await runMutation(ListingErrorCode, async () => {
      const row = await store.setListingStatus(ctx, storeIdOf(ctx), requireId(input.listingId, "商品"), input.status);
      return toMerchantListing(ctx, row);
    });
    return { listing: result, errors };
  }
}
