/** Generates product artwork as SVG (no network, no binary tools): a gradient, an emoji-free motif and the name. */
const PALETTES = [
  ["#ff9a8b", "#ff6a88"],
  ["#a1c4fd", "#c2e9fb"],
  ["#f6d365", "#fda085"],
  ["#84fab0", "#8fd3f4"],
  ["#cfd9df", "#e2ebf0"],
  ["#fbc2eb", "#a6c1ee"],
  ["#fdcbf1", "#e6dee9"],
  ["#d4fc79", "#96e6a1"],
];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function productSvg(title: string, subtitle: string, seed: number): string {
  const [a, b] = PALETTES[seed % PALETTES.length];
  const r = 90 + (seed % 5) * 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
<rect width="600" height="600" fill="url(#g)"/>
<circle cx="${300 + (seed % 3) * 40 - 40}" cy="250" r="${r}" fill="#ffffff" fill-opacity="0.35"/>
<circle cx="${220 + (seed % 4) * 30}" cy="${220 + (seed % 2) * 40}" r="${r / 2}" fill="#ffffff" fill-opacity="0.25"/>
<text x="300" y="440" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" font-size="44" font-weight="700" fill="#333" text-anchor="middle">${escape(title.slice(0, 12))}</text>
<text x="300" y="500" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif" font-size="28" fill="#555" text-anchor="middle">${escape(subtitle.slice(0, 18))}</text>
</svg>`;
}
