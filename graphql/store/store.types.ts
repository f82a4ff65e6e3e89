import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { SpecAxisType, SpecValueType } from "../catalog/catalog.types";
import { ListingErrorCode } from "./store.rules";
import type { ListingRow, StoreRow } from "./store.service";
import type { ProductRow } from "../catalog/catalog.service";

export enum ListingStatus {
  ON_SHELF = "ON_SHELF",
  OFF_SHELF = "OFF_SHELF",
}
registerEnumType(ListingStatus, { name: "ListingStatus" });

/** A store as shoppers see it. */
@ObjectType("ShopStore")
export class ShopStore {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => String) tagline!: string;
  row!: StoreRow;

  static from(row: StoreRow) {
    return Object.assign(new ShopStore(), { id: row.id, slug: row.slug, name: row.name, tagline: row.tagline, row });
  }
}

/** A SKU as shoppers see it: the store's price, never the supply price. */
@ObjectType("ShopSku")
export class ShopSku {
  @Field(() => ID) id!: string;
  @Field(() => String) label!: string;
  @Field(() => [SpecValueType]) specs!: SpecValueType[];
  @Field(() => Money) price!: Money;
  @Field(() => Money, { description: "Suggested retail price, shown struck through when higher" }) originalPrice!: Money;
  @Field(() => Int) stock!: number;
}

@ObjectType("PriceRange")
export class PriceRange {
  @Field(() => Money) min!: Money;
  @Field(() => Money) max!: Money;
}

/**
 * A product in a store, as shoppers see it. Deliberately has no supply price, margin or commission
 * field: the consumer-facing type cannot leak them.
 */
@ObjectType("ShopProduct")
export class ShopProduct {
  @Field(() => ID, { description: "The listing id" }) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String) category!: string;
  @Field(() => [String]) images!: string[];
  @Field(() => [SpecAxisType]) specAxes!: SpecAxisType[];
  listing!: ListingRow;
  product!: ProductRow;
}

export const ShopProductConnection = Connection("ShopProductConnection", ShopProduct);

/** The merchant's own store. */
@ObjectType("MerchantStore")
export class MerchantStore {
  @Field(() => ID) id!: string;
  @Field(() => String) slug!: string;
  @Field(() => String) name!: string;
  @Field(() => String) tagline!: string;
}

/** One SKU of a merchant's listing, with the merchant's own margin. */
@ObjectType("MerchantListingSku")
export class MerchantListingSku {
  @Field(() => ID) skuId!: string;
  @Field(() => String) label!: string;
  @Field(() => Money) supplyPrice!: Money;
  @Field(() => Money) suggestedPrice!: Money;
  @Field(() => Money) retailPrice!: Money;
  @Field(() => Money, { description: "retail − supply" }) grossMargin!: Money;
  @Field(() => Money, { description: "Margin after the platform fee and the maximum commissions" }) minimumNetMargin!: Money;
  @Field(() => Money) minRetailPrice!: Money;
  @Field(() => Int) stock!: number;
}

@ObjectType("MerchantListing")
export class MerchantListing {
  @Field(() => ID) id!: string;
  @Field(() => ListingStatus) status!: ListingStatus;
  @Field(() => String) title!: string;
  @Field(() => [String]) images!: string[];
  @Field(() => Date) listedAt!: Date;
  listing!: ListingRow;
}

export const MerchantListingConnection = Connection("MerchantListingConnection", MerchantListing);
export const ListingError = ErrorType("ListingError", ListingErrorCode);

@InputType("SkuPriceInput")
export class SkuPriceInput {
  @Field(() => ID) skuId!: string;
  @Field(() => SafeIntResolver, { description: "Retail price in fen" }) retailPrice!: number;
}

@InputType("ListProductInput")
export class ListProductInput {
  @Field(() => ID) productId!: string;
  @Field(() => [SkuPriceInput]) prices!: SkuPriceInput[];
}

@InputType("UpdateListingPricesInput")
export class UpdateListingPricesInput {
  @Field(() => ID) listingId!: string;
  @Field(() => [SkuPriceInput]) prices!: SkuPriceInput[];
}

@InputType("SetListingStatusInput")
export class SetListingStatusInput {
  @Field(() => ID) listingId!: string;
  @Field(() => ListingStatus) status!: ListingStatus;
}

@ObjectType("ListingPayload")
export class ListingPayload {
  @Field(() => MerchantListing, { nullable: true }) listing!: MerchantListing | null;
  @Field(() => [ListingError]) errors!: InstanceType<typeof ListingError>[];
}
