import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { Money } from "../core/money.type";
import { Connection } from "../core/connection";
import { ErrorType } from "../core/payload";
import { CatalogErrorCode } from "./catalog.rules";
import type { ProductRow, SkuRow } from "./catalog.service";

@ObjectType("SpecAxis", { description: "A specification axis such as 颜色 and its values" })
export class SpecAxisType {
  @Field(() => String) name!: string;
  @Field(() => [String]) values!: string[];
}

@ObjectType("SpecValue")
export class SpecValueType {
  @Field(() => String) axis!: string;
  @Field(() => String) value!: string;
}

/** A supplier's own SKU: supply price and stock are theirs to see. */
@ObjectType("SupplierSku")
export class SupplierSku {
  @Field(() => ID) id!: string;
  @Field(() => String) label!: string;
  @Field(() => [SpecValueType]) specs!: SpecValueType[];
  @Field(() => Money) supplyPrice!: Money;
  @Field(() => Money) suggestedPrice!: Money;
  @Field(() => Int) stock!: number;
  @Field(() => Int) sold!: number;
  @Field(() => Boolean, { description: "Stock at or below the warning level (10)" }) lowStock!: boolean;

  static from(row: SkuRow): SupplierSku {
    return Object.assign(new SupplierSku(), {
      id: row.id,
      label: row.label,
      specs: row.specs,
      supplyPrice: Money.of(row.supplyPrice),
      suggestedPrice: Money.of(row.suggestedPrice),
      stock: row.stock,
      sold: row.sold,
      lowStock: row.stock <= 10,
    });
  }
}

@ObjectType("SupplierProduct", { description: "A product in the viewer's supplier catalog" })
export class SupplierProduct {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String) category!: string;
  @Field(() => [SpecAxisType]) specAxes!: SpecAxisType[];
  @Field(() => [String], { description: "Image URLs, cover first" }) images!: string[];
  @Field(() => Date) createdAt!: Date;
  row!: ProductRow;
}

/** A catalog product as a merchant sees it while picking (选品): supply and suggested prices, no stock of others. */
@ObjectType("CatalogSku")
export class CatalogSku {
  @Field(() => ID) id!: string;
  @Field(() => String) label!: string;
  @Field(() => Money) supplyPrice!: Money;
  @Field(() => Money) suggestedPrice!: Money;
  @Field(() => Money, { description: "Lowest retail price the platform accepts for this SKU" }) minRetailPrice!: Money;
  @Field(() => Boolean) inStock!: boolean;
}

@ObjectType("CatalogProduct")
export class CatalogProduct {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
  @Field(() => String) category!: string;
  @Field(() => [String]) images!: string[];
  @Field(() => [SpecAxisType]) specAxes!: SpecAxisType[];
  row!: ProductRow;
}

export const SupplierProductConnection = Connection("SupplierProductConnection", SupplierProduct);
export const CatalogProductConnection = Connection("CatalogProductConnection", CatalogProduct);

export const CatalogError = ErrorType("CatalogError", CatalogErrorCode);

@InputType("SpecAxisInput")
export class SpecAxisInput {
  @Field(() => String) name!: string;
  @Field(() => [String]) values!: string[];
}

@InputType("SpecValueInput")
export class SpecValueInput {
  @Field(() => String) axis!: string;
  @Field(() => String) value!: string;
}

@InputType("SkuInput")
export class SkuInput {
  @Field(() => [SpecValueInput]) specs!: SpecValueInput[];
  @Field(() => SafeIntResolver, { description: "Supply price in fen" }) supplyPrice!: number;
  @Field(() => SafeIntResolver, { description: "Suggested retail price in fen" }) suggestedPrice!: number;
  @Field(() => Int) stock!: number;
}

@InputType("CreateProductInput")
export class CreateProductInput {
  @Field(() => String) title!: string;
  @Field(() => String, { defaultValue: "" }) description!: string;
  @Field(() => String) category!: string;
  @Field(() => [SpecAxisInput]) specAxes!: SpecAxisInput[];
  @Field(() => [String], { description: "Storage keys returned by the upload endpoint" }) imageKeys!: string[];
  @Field(() => [SkuInput]) skus!: SkuInput[];
}

@ObjectType("CreateProductPayload")
export class CreateProductPayload {
  @Field(() => SupplierProduct, { nullable: true }) product!: SupplierProduct | null;
  @Field(() => [CatalogError]) errors!: InstanceType<typeof CatalogError>[];
}

@InputType("UpdateProductInput", { description: "A product's texts; refused (AD_LAW_TERMS, naming the words) if they use words the Advertising Law forbids" })
export class UpdateProductInput {
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { defaultValue: "" }) description!: string;
  @Field(() => String) category!: string;
}

@ObjectType("UpdateProductPayload")
export class UpdateProductPayload {
  @Field(() => SupplierProduct, { nullable: true }) product!: SupplierProduct | null;
  @Field(() => [CatalogError]) errors!: InstanceType<typeof CatalogError>[];
}

@InputType("AdjustStockInput")
export class AdjustStockInput {
  @Field(() => ID) skuId!: string;
  @Field(() => Int, { description: "Units to add (negative to remove)" }) delta!: number;
}

@ObjectType("AdjustStockPayload")
export class AdjustStockPayload {
  @Field(() => SupplierSku, { nullable: true }) sku!: SupplierSku | null;
  @Field(() => [CatalogError]) errors!: InstanceType<typeof CatalogError>[];
}
