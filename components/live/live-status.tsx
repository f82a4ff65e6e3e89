const TEXT: Record<string, [string, string]> = {
  SCHEDULED: ["未开始", "tag-blue"],
  LIVE: ["直播中", ""],
  ENDED: ["已结束", "tag-gray"],
  CANCELLED: ["已取消", "tag-gray"],
};

/** A live's status as a coloured tag. */
export function LiveStatusTag({ status }: { status: string }) {
  const [text, cls] = TEXT[status] ?? [status, "tag-gray"];
  return <span className={`tag ${cls}`} data-testid="live-status">{text}</span>;
}
