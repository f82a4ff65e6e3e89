import { Arg, Authorized, Ctx as C, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { Money } from "../core/money.type";
import { ErrorType, runMutation } from "../core/payload";
import { PaymentErrorCode, startPayment } from "./payment.service";

const PaymentError = ErrorType("PaymentError", PaymentErrorCode);

@ObjectType("PaymentSession", { description: "A started payment: send the buyer to payUrl" })
class PaymentSession {
  @Field(() => ID) paymentId!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => String) payUrl!: string;
}

@InputType("PayOrderInput")
class PayOrderInput {
  @Field(() => ID) orderId!: string;
  @Field(() => String, { defaultValue: "sandbox" }) provider!: string;
}

@ObjectType("PayOrderPayload")
class PayOrderPayload {
  @Field(() => PaymentSession, { nullable: true }) session!: PaymentSession | null;
  @Field(() => [PaymentError]) errors!: InstanceType<typeof PaymentError>[];
}

/** Paying for one's own orders through a payment provider. */
@Authorized(Permission.SHOP_BUY)
@Resolver()
export class PaymentResolver {
  @Mutation(() => PayOrderPayload, { description: "Start paying an unpaid order" })
  async payOrder(@C() ctx: Ctx, @Arg("input", () => PayOrderInput) input: PayOrderInput) {
    const { result, errors } = await runMutation(PaymentErrorCode, async () => {
      const { payment, payUrl } = await startPayment(ctx, viewerOf(ctx).userId, input.orderId, ctx.services.payments[input.provider]);
      return Object.assign(new PaymentSession(), { paymentId: payment.id, amount: Money.of(payment.amount), payUrl });
    });
    return { session: result, errors };
  }
}
