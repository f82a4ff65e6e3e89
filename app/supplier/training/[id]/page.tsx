import Link from "next/link";
import { notFound } from "next/navigation";
import { requireRole } from "@/components/server/viewer";
import { queryOrNull } from "@/components/server/query";
import { PortalShell } from "@/components/portal-shell";
import { TRAINING_LIVE_FIELDS, type TrainingLiveData } from "@/components/live/training-types";
import type { HostCounters } from "@/components/live/host-console-parts";
import { TrainingConsole } from "./training-console";

export const metadata = { title: "培训直播控制台" };

const CONSOLE = `query TrainingConsole($id: ID!) { supplierTrainingLive(id: $id) { ${TRAINING_LIVE_FIELDS} peakViewers uniqueViewers commentCount } }`;

/** The host console of one of my training lives: go live, pin, shelf, announcements, comments, replay. */
export default async function TrainingConsolePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireRole("SUPPLIER", `/supplier/training/${id}`);
  const d = await queryOrNull<{ supplierTrainingLive: (TrainingLiveData & HostCounters) | null }>(CONSOLE, { id });
  const live = d?.supplierTrainingLive;
  if (!live) notFound();
  return (
    <PortalShell kind="supplier" title={`培训直播 · ${live.title}`} who={viewer.nickname} actions={<Link className="btn btn-sm" href="/supplier/training">返回培训直播</Link>}>
      <TrainingConsole live={live} />
    </PortalShell>
  );
}
