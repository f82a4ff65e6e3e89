import { Arg, Authorized, Ctx as C, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { and, eq, inArray } from "drizzle-orm";
import { lives, products } from "@/db/schema";
import { Permission } from "../core/permissions";
import { storeIdOf, supplierIdOf, type Ctx } from "../core/context";
import { Money } from "../core/money.type";
import { isUuid } from "../core/ids";
import { chapterStats, liveSummary, minuteStats, supplierLiveSales } from "./live-analytics.service";

@ObjectType("LiveSummary")
export class LiveSummaryView {
  @Field(() => Int) uniqueViewers!: number;
  @Field(() => Int) peakViewers!: number;
  @Field(() => Int) avgWatchSeconds!: number;
  @Field(() => Int) comments!: number;
  @Field(() => Int) likes!: number;
  @Field(() => Int) productClicks!: number;
  @Field(() => Int) orders!: number;
  @Field(() => Int) buyers!: number;
  @Field(() => Money) gmv!: Money;
  @Field(() => Int, { description: "Buyers ÷ unique viewers, basis points" }) conversionBp!: number;
}

@ObjectType("LiveChapterStats")
export class LiveChapterStatsView {
  @Field(() => ID) productId!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) startMs!: number;
  @Field(() => Int) endMs!: number;
  @Field(() => Int) clicks!: number;
  @Field(() => Int) orders!: number;
  @Field(() => Money) gmv!: Money;
}

@ObjectType("LiveMinuteStats")
export class LiveMinuteStatsView {
  @Field(() => Int) minute!: number;
  @Field(() => Int) watching!: number;
  @Field(() => Int) joined!: number;
  @Field(() => Int) comments!: number;
  @Field(() => Int) orders!: number;
  @Field(() => Money) gmv!: Money;
}

@ObjectType("LiveAnalytics")
export class LiveAnalyticsView {
  @Field(() => ID) liveId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) status!: string;
  @Field(() => LiveSummaryView) summary!: LiveSummaryView;
  @Field(() => [LiveChapterStatsView]) chapters!: LiveChapterStatsView[];
  @Field(() => [LiveMinuteStatsView]) minutes!: LiveMinuteStatsView[];
}

@ObjectType("SupplierLiveSale", { description: "A live (any merchant's) that sold my products" })
export class SupplierLiveSaleView {
  @Field(() => ID) liveId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) status!: string;
  @Field(() => String) storeName!: string;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Int) orders!: number;
  @Field(() => Int) units!: number;
  @Field(() => Money, { description: "Goods paid for my products in those orders" }) goods!: Money;
}

/** Session analytics: the merchant's own lives; the supplier's products across every merchant's lives. */
@Resolver()
export class LiveAnalyticsResolver {
  @Authorized(Permission.STORE_MANAGE)
  @Query(() => LiveAnalyticsView, { nullable: true, description: "One of my lives: summary, per product chapter, minute by minute" })
  async liveAnalytics(@C() ctx: Ctx, @Arg("liveId", () => ID) liveId: string) {
    if (!isUuid(liveId)) return null;
    const [live] = await ctx.db.select().from(lives).where(and(eq(lives.id, liveId.toLowerCase()), eq(lives.storeId, storeIdOf(ctx))));
    if (!live) return null;
    const [summary, chapters, minutes] = await Promise.all([liveSummary(ctx.db, live), chapterStats(ctx.db, live), minuteStats(ctx.db, live, ctx.now)]);
    const titles = chapters.length ? await ctx.db.select({ id: products.id, title: products.title }).from(products).where(inArray(products.id, chapters.map((c) => c.productId))) : [];
    const titleOf = new Map(titles.map((t) => [t.id, t.title]));
    return Object.assign(new LiveAnalyticsView(), {
      liveId: live.id,
      title: live.title,
      status: live.status,
      summary: Object.assign(new LiveSummaryView(), { ...summary, gmv: Money.of(summary.gmv) }),
      chapters: chapters.map((c) => Object.assign(new LiveChapterStatsView(), { ...c, title: titleOf.get(c.productId) ?? "商品", gmv: Money.of(c.gmv) })),
      minutes: minutes.map((m) => Object.assign(new LiveMinuteStatsView(), { ...m, gmv: Money.of(m.gmv) })),
    });
  }

  @Authorized(Permission.CATALOG_MANAGE)
  @Query(() => [SupplierLiveSaleView], { description: "Lives that sold my products, newest first" })
  async supplierLiveSales(@C() ctx: Ctx) {
    return (await supplierLiveSales(ctx.db, supplierIdOf(ctx))).map((r) => Object.assign(new SupplierLiveSaleView(), { ...r, goods: Money.of(r.goods) }));
  }
}
