import { notFound, redirect } from "next/navigation";
import { currentViewer } from "@/components/server/viewer";
import { query, queryOrNull } from "@/components/server/query";
import { serverNow } from "@/components/server/clock";
import { SHOP_LIVE_FIELDS, type ShopLiveData } from "@/components/live/room-types";
import type { AddressData } from "@/components/address-picker";
import { LiveRoom } from "./live-room";
import { ReplayRoom } from "./replay-room";

export const metadata = { title: "直播间" };

const ROOM = `query Room($id: ID!) { shopLive(id: $id) { ${SHOP_LIVE_FIELDS} } }`;
const TRAINING = `query($id: ID!) { trainingLive(id: $id) { id } }`;
const ADDRESSES = `{ myAddresses { id recipient phone province city district detail isDefault } }`;
const INVITE = `{ myReferral { invitePath inviteDisabled } }`;

/**
 * A live room (/live/<id>): the stream with its comments, likes, shelf and bottom-sheet checkout;
 * before it starts a countdown and 预约; after it ends the replay with chapters (?t=<seconds>).
 * Guests can watch; commenting, 预约 and buying ask them to sign in.
 */
export default async function LivePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ t?: string }> }) {
  const { id } = await params;
  const { t } = await searchParams;
  const [data, viewer, now] = await Promise.all([queryOrNull<{ shopLive: ShopLiveData | null }>(ROOM, { id }), currentViewer(), serverNow()]);
  const live = data?.shopLive;
  if (!live) {
    // A training room is not a shop room: its own page, for those who may enter it (the API decides).
    if (viewer && (await queryOrNull<{ trainingLive: { id: string } | null }>(TRAINING, { id }))?.trainingLive) {
      redirect(viewer.roles.includes("SUPPLIER") && !viewer.roles.includes("MERCHANT") ? `/supplier/training/${id}` : `/merchant/training/${id}`);
    }
    notFound();
  }
  const buyer = viewer?.roles.includes("CONSUMER");
  // The replay's share links carry the viewer's invite code when they have a usable one.
  const [addresses, invite] = await Promise.all([
    buyer && live.status === "LIVE" ? query<{ myAddresses: AddressData[] }>(ADDRESSES).then((d) => d.myAddresses) : Promise.resolve([]),
    buyer && live.status !== "SCHEDULED" ? query<{ myReferral: { invitePath: string; inviteDisabled: boolean } }>(INVITE).then((d) => (d.myReferral.inviteDisabled ? null : d.myReferral.invitePath)).catch(() => null) : Promise.resolve(null),
  ]);
  const startAt = Math.max(0, Math.floor(Number(t) || 0));
  if (live.status === "ENDED") {
    return <ReplayRoom live={live} startAt={startAt} invitePath={invite} />;
  }
  return (
    <LiveRoom
      key={live.status}
      live={live}
      me={viewer ? { userId: viewer.userId, buyer: Boolean(buyer) } : null}
      addresses={addresses}
      serverNow={now}
      invitePath={invite}
    />
  );
}
