import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentViewer } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { TRAINING_LIVE_FIELDS, type TrainingLiveData } from "@/components/live/training-types";
import { TrainingRoom } from "./training-room";

export const metadata = { title: "培训直播间" };

const ROOM = `query TrainingRoom($id: ID!) { trainingLive(id: $id) { ${TRAINING_LIVE_FIELDS} } }`;

/** A supplier's training room (or its replay, ?t=<seconds>): any merchant may enter, and operators watching over it; nothing is sold here. */
export default async function TrainingRoomPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ t?: string }> }) {
  const { id } = await params;
  const { t } = await searchParams;
  const viewer = await currentViewer();
  if (!viewer) redirect(`/staff/login?next=${encodeURIComponent(`/merchant/training/${id}`)}`);
  if (!viewer.roles.includes("MERCHANT") && !viewer.roles.includes("OPERATOR")) redirect("/forbidden");
  const d = await queryOrNull<{ trainingLive: TrainingLiveData | null }>(ROOM, { id });
  const live = d?.trainingLive;
  if (!live) notFound();
  return (
    <PortalShell kind={viewer.roles.includes("MERCHANT") ? "merchant" : "operator"} title={`培训直播 · ${live.title}`} who={viewer.nickname} actions={viewer.roles.includes("MERCHANT") ? <Link className="btn btn-sm" href="/merchant/training">返回培训直播</Link> : <Link className="btn btn-sm" href="/operator/live?tab=LIVES">返回直播监管</Link>}>
      <TrainingRoom live={live} startAt={Math.max(0, Math.floor(Number(t) || 0))} canReserve={viewer.roles.includes("MERCHANT")} />
    </PortalShell>
  );
}
