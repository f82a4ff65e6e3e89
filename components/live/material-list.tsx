/** A live script's material pack (素材包): images shown small, documents and clips as downloads. */
export type Material = { label: string; kind: string; url: string };

const KIND: Record<string, string> = { IMAGE: "图片", PDF: "PDF", VIDEO: "视频", FILE: "文件" };
const EXT: Record<string, string> = { IMAGE: "", PDF: ".pdf", VIDEO: ".mp4", FILE: "" };

export function MaterialList({ materials }: { materials: Material[] }) {
  if (!materials.length) return null;
  return (
    <div data-testid="material-pack">
      <div className="muted">素材包（{materials.length}）</div>
      <ul className="material-list">
        {materials.map((m) => (
          <li key={m.url} className="row" data-testid="material">
            {m.kind === "IMAGE" && (
              // eslint-disable-next-line @next/next/no-img-element
              <img src={m.url} alt="" style={{ width: 40, height: 40, objectFit: "cover", borderRadius: 4 }} />
            )}
            <span className="tag tag-gray">{KIND[m.kind] ?? "文件"}</span>
            <span className="grow">{m.label}</span>
            <a className="btn btn-sm" href={m.url} download={`${m.label}${EXT[m.kind] ?? ""}`}>下载</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
