"""The wall screen's page: its style (sized from the viewport, so 1080p and 4K read alike from
across the room) and the few lines of script that fetch the next screen, swap it in, and keep
the last good one with "Reconnecting since HH:MM" while the server is away.

A plain page rather than a Streamlit one: it holds no websocket, so no "connection error"
dialog can ever cover the wall, and nothing on it waits for a script run.
"""

from __future__ import annotations

from html import escape

from cxroom.ui.display import board, spotlight, trend, wins

# 1rem = 1/45 of the height (24 px at 1080p, 48 px at 4K), or 1/80 of the width on a screen taller
# than 16:9. The smallest text is 0.875rem (21 px at 1080p), headline numbers 1.6rem (38 px).
STYLE = """
html{font-size:min(2.2222vh,1.25vw)}
body{margin:0;background:#0e1117;color:#f0f2f6;overflow:hidden;height:100vh;
 font-family:"DejaVu Sans","Source Sans Pro",system-ui,sans-serif;line-height:1.25}
#screen{height:100vh}
.screen{display:flex;flex-direction:column;height:100vh;padding:.5rem .8rem .6rem;box-sizing:border-box}
.bar{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex:none}
.bar h1{font-size:1.25rem;margin:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;min-width:0}
.stamp{font-size:.875rem;color:#b8bcc6;margin:0;white-space:nowrap}
.wall{flex:1;min-height:0;display:grid;grid-template-columns:repeat(var(--cols),minmax(0,1fr));
 gap:.6rem;margin-top:.5rem}
.col{min-height:0;overflow:hidden;display:flex;flex-direction:column;background:#1a1d24;
 border-top:.35rem solid var(--stage);border-radius:.3rem;padding:.45rem .6rem .5rem}
.stage{font-size:1.3rem;margin:0;line-height:1.15;overflow-wrap:anywhere}
.health{font-size:1rem;margin:.15rem 0 .4rem;font-weight:700}
.health.at_risk{color:#ff7b7b}.health.watch{color:#ffc861}.health.healthy{color:#6be39a}
.health.no_data{color:#b8bcc6}
.newslist{list-style:none;margin:0;padding:0;flex:1 1 auto;min-height:0;overflow:hidden}
.news{border-left:.3rem solid #5a5f6b;padding-left:.45rem;margin-bottom:.5rem}
.news.red{border-color:#ff7b7b}.news.amber{border-color:#ffc861}.news.green{border-color:#6be39a}
.news.red .num{color:#ff9a9a}.news.amber .num{color:#ffd27f}
.what{display:block;font-size:.875rem;line-height:1.2;color:#dfe2e8;overflow-wrap:anywhere}
.line{display:block}
.num{font-size:1.6rem;font-weight:700;line-height:1.1;white-space:nowrap}
.target{font-size:.875rem;color:#c3c7d0}
.more{font-size:.875rem;color:#c3c7d0;margin:.1rem 0 .3rem;flex:none}
.customer{flex:none;border-top:.08rem solid #3a3f4b;padding-top:.4rem}
.artifact{margin:0}
.artifact img{display:block;max-width:100%;height:17vh;object-fit:contain;object-position:left top;
 background:#fff;border-radius:.2rem}
figcaption{font-size:.875rem;color:#c3c7d0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.verbatim{font-size:.875rem;font-style:italic;margin:.3rem 0 0;overflow-wrap:anywhere;display:-webkit-box;
 -webkit-line-clamp:var(--lines,4);-webkit-box-orient:vertical;overflow:hidden}
.quiet{font-size:.875rem;color:#b8bcc6;margin:.3rem 0 0}
.empty{font-size:1.5rem;margin:auto}
.cmath{flex:none;margin-top:.35rem;background:#1a1d24;border-radius:.3rem;padding:.2rem .8rem .25rem}
.cmath p{margin:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.figs{display:flex;align-items:baseline;gap:1.6rem}
.cm-title{font-size:1rem;font-weight:700;color:#dfe2e8}
.fig{white-space:nowrap}.lbl,.aside{font-size:.875rem;color:#c3c7d0}
.defs{font-size:.875rem;color:#b8bcc6;display:flex;gap:1.5rem}
.defs span{flex:1 1 0;min-width:0;overflow:hidden;text-overflow:ellipsis}
.lost{flex:none;font-size:.875rem;color:#ffb4b4;margin:-.2rem 0 .35rem}.lost b{font-size:1rem}
#offline{position:fixed;top:0;left:50%;transform:translateX(-50%);z-index:9;background:#7a4b00;color:#fff;
 font-size:1.1rem;font-weight:700;padding:.3rem 1.2rem;border-radius:0 0 .4rem .4rem}
"""

STYLE += spotlight.CSS + trend.CSS + board.CSS + wins.CSS

# Fetches the screen the playlist shows now, swaps it in, and fits each column; on a failed fetch
# keeps the last good screen, says since when it has been reconnecting, and tries every 2 s.
SCRIPT = """
(() => {
  const main = document.getElementById('screen');
  const banner = document.getElementById('offline');
  const url = 'display/screen' + location.search;
  let refresh = Number(main.dataset.refresh) || 60;
  let downSince = null;
  let timer = null;

  function fitColumn(col, list) {
    const more = col.querySelector('.more');
    let dropped = 0;
    const over = () => col.scrollHeight > col.clientHeight + 1 || list.scrollHeight > list.clientHeight + 1;
    while (over()) {
      const items = list.querySelectorAll('li');
      if (items.length <= 1) break;
      items[items.length - 1].remove();
      dropped += 1;
      if (more) { more.textContent = '+' + dropped + ' more'; more.hidden = false; }
    }
    const quote = col.querySelector('.verbatim');
    for (const lines of [3, 2]) { if (over() && quote) quote.style.setProperty('--lines', lines); }
    const figure = col.querySelector('.artifact');
    if (over() && figure) figure.remove();
  }

  // A box that may run over (the spotlight's side) gives up its last optional items first.
  function fitBox(box) {
    while (box.scrollHeight > box.clientHeight + 1) {
      const optional = box.querySelectorAll('.drop');
      if (!optional.length) break;
      optional[optional.length - 1].remove();
    }
  }

  function fit() {
    for (const col of main.querySelectorAll('.col')) fitColumn(col, col.querySelector('.newslist'));
    const spot = main.querySelector('.spot-main');
    if (spot) fitColumn(spot, spot.querySelector('.spot-news'));
    for (const box of main.querySelectorAll('.fit')) fitBox(box);
  }

  function schedule(seconds) {
    clearTimeout(timer);
    timer = setTimeout(tick, Math.max(0.5, seconds) * 1000);
  }

  async function tick() {
    const abort = new AbortController();
    const giveUp = setTimeout(() => abort.abort(), 8000);
    try {
      const response = await fetch(url, {cache: 'no-store', signal: abort.signal});
      if (response.status === 403) { location.reload(); return; }
      if (!response.ok) throw new Error('HTTP ' + response.status);
      main.innerHTML = await response.text();
      fit();
      downSince = null;
      banner.hidden = true;
      refresh = Number(response.headers.get('X-Refresh')) || refresh;
      const next = Number(response.headers.get('X-Next-In')) || refresh;
      schedule(Math.min(next + 0.3, refresh));
    } catch (error) {
      if (downSince === null) {
        downSince = new Date();
        const hhmm = downSince.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', hour12: false});
        banner.querySelector('time').textContent = hhmm;
        banner.hidden = false;
      }
      schedule(2);
    } finally {
      clearTimeout(giveUp);
    }
  }

  fit();
  schedule(Math.min((Number(main.dataset.nextIn) || refresh) + 0.3, refresh));
})();
"""


def shell(screen_html: str, *, next_in: float, refresh_s: int, title: str) -> str:
    """The whole page with the first screen in it (the script takes over from there)."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><link rel='icon' href='data:,'><style>{STYLE}</style></head><body>"
        "<div id='offline' role='status' hidden>Reconnecting since <time></time></div>"
        f"<main id='screen' data-next-in='{next_in:.1f}' data-refresh='{int(refresh_s)}'>{screen_html}</main>"
        f"<script>{SCRIPT}</script></body></html>"
    )
