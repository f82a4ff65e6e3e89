import { Field, ObjectType } from "type-graphql";
import { SafeIntResolver } from "graphql-scalars";
import { formatFen } from "../platform/money";

/** An amount of money in fen (1/100 yuan). `amount` is a safe integer: GraphQL Int is only 32-bit. */
@ObjectType("Money", { description: "金额（分）" })
export class Money {
  @Field(() => SafeIntResolver, { description: "Amount in fen" })
  amount!: number;

  @Field(() => String, { description: "Formatted for display, e.g. ¥12.80" })
  formatted!: string;

  static of(fen: number): Money {
    return Object.assign(new Money(), { amount: fen, formatted: formatFen(fen) });
  }
}
