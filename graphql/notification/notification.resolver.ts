import { Arg, Authorized, Ctx as C, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { Permission } from "../core/permissions";
import { viewerOf, type Ctx } from "../core/context";
import { Connection, pageWindow, toPage } from "../core/connection";
import { badInput } from "../core/errors";
import { isUuid } from "../core/ids";
import { listNotifications, markRead, unreadCount } from "./notification.service";

@ObjectType("Notification")
export class NotificationView {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "PROMOTED, REWARDS_SETTLED, WITHDRAWAL, RISK_REVIEW, LIVE_STARTED" }) kind!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
  @Field(() => String, { nullable: true, description: "In-app path to open" }) link!: string | null;
  @Field(() => Boolean) read!: boolean;
  @Field(() => Date) createdAt!: Date;
}

const NotificationConnection = Connection("NotificationConnection", NotificationView);

@ObjectType("MarkNotificationsReadPayload")
class MarkNotificationsReadPayload {
  @Field(() => Int) unreadCount!: number;
}

/** The notification centre: every signed-in person sees only their own. */
@Authorized(Permission.SIGNED_IN)
@Resolver()
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "My notifications, newest first" })
  async myNotifications(
    @C() ctx: Ctx,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ) {
    const window = pageWindow(first, after);
    const page = toPage(await listNotifications(ctx.db, viewerOf(ctx).userId, window), window);
    return { nodes: page.nodes.map((n) => Object.assign(new NotificationView(), n)), pageInfo: page.pageInfo };
  }

  @Query(() => Int, { description: "How many of my notifications are unread" })
  unreadNotificationCount(@C() ctx: Ctx) {
    return unreadCount(ctx.db, viewerOf(ctx).userId);
  }

  @Mutation(() => MarkNotificationsReadPayload, { description: "Mark these (or, without ids, all) of my notifications read" })
  async markNotificationsRead(@C() ctx: Ctx, @Arg("ids", () => [ID], { nullable: true }) ids?: string[] | null) {
    if (ids && (ids.length > 100 || !ids.every(isUuid))) throw badInput("ids 无效");
    return Object.assign(new MarkNotificationsReadPayload(), { unreadCount: await markRead(ctx.db, viewerOf(ctx).userId, ids ?? null) });
  }
}
