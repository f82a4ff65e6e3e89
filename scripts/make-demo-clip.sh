#!/usr/bin/env bash
# Regenerates the demo live clip (public/media/demo-live): 48 s, 270×480, drawn by ffmpeg (no
# third-party footage), cut into 6-second HLS segments, ~400 KB. The demo lives and their replays
# play it, so the room works out of the box without a streaming service. Needs ffmpeg and a CJK font.
set -euo pipefail
cd "$(dirname "$0")/.."
out=public/media/demo-live
font=${FONT:-$(fc-list | grep -m1 -i "NotoSansCJK-Regular" | cut -d: -f1)}
rm -rf "$out" && mkdir -p "$out"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "color=c=0xe85d75:size=270x480:rate=15" -f lavfi -i "sine=frequency=330:sample_rate=22050" -t 48 \
  -vf "drawbox=x=20:y=120:w=230:h=230:color=white@0.25:t=fill,drawbox=x='20+mod(t*40\,200)':y=330:w=30:h=8:color=white:t=fill,drawtext=fontfile=$font:text='链播 演示直播':fontcolor=white:fontsize=24:x=(w-tw)/2:y=200,drawtext=fontfile=$font:text='%{pts\:hms}':fontcolor=white:fontsize=18:x=(w-tw)/2:y=250,drawtext=fontfile=$font:text='Lianbo demo clip':fontcolor=white@0.8:fontsize=14:x=(w-tw)/2:y=420" \
  -c:v libx264 -preset veryfast -profile:v baseline -level 3.0 -pix_fmt yuv420p -crf 30 -g 30 -c:a aac -b:a 24k -ac 1 \
  -hls_time 6 -hls_playlist_type vod -hls_segment_filename "$out/seg%02d.ts" "$out/index.m3u8"
du -sh "$out"
