"""SVG to PNG (cairosvg), and the self-contained HTML page pictures and reports go in.

Example::

    Path("deck.png").write_bytes(svg_to_png(deck_svg(deck)))
"""

from __future__ import annotations

import html


def svg_to_png(svg: str, scale: float = 1.0) -> bytes:
    """The SVG drawn as a PNG (by cairosvg, on libcairo)."""
    import cairosvg

    png: bytes = cairosvg.svg2png(bytestring=svg.encode(), scale=scale)
    return png


def html_page(title: str, body: str) -> str:
    """A page that needs nothing from the network: ``body`` is HTML (inline SVG included)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; color: #26303a; margin: 2em;
  max-width: 1300px; }}
h1 {{ font-size: 1.4em; }} h2 {{ font-size: 1.15em; margin-top: 1.6em; }}
table {{ border-collapse: collapse; }} td, th {{ padding: 0.25em 0.8em; text-align: left;
  border-bottom: 1px solid #e3e6ea; vertical-align: top; }}
svg.otlink-deck {{ max-width: 100%; height: auto; }}
.pictures {{ display: flex; flex-wrap: wrap; gap: 1.5em; }}
.pictures figure {{ margin: 0; flex: 1 1 560px; }}
.error {{ color: #b0203f; }}
</style></head>
<body>
{body}
</body></html>
"""
