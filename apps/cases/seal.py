"""The demo seal (演示样章) of an enforcement subject, drawn by code: a red ring, a star, the subject's name
around the upper arc and 演示样章 across the bottom. It copies no real bureau's seal (no national emblem,
no official layout) and says on its face that it is a demo. Production uploads the organ's own seal image."""
import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from apps.cases import pdf

RED = (200, 20, 20, 255)
SIZE = 480
DEMO_MARK = "演示样章"


def _font(size):
    return ImageFont.truetype(pdf.font_path(), size, index=0)


@lru_cache(maxsize=32)
def demo_seal_png(name: str) -> bytes:
    """A PNG of the demo seal for ``name`` (transparent background)."""
    image = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    c = SIZE / 2
    draw.ellipse([8, 8, SIZE - 8, SIZE - 8], outline=RED, width=14)
    # A five-pointed star in the centre.
    r_out, r_in = 62, 24
    points = [(c + (r_out if i % 2 == 0 else r_in) * math.sin(i * math.pi / 5), c - (r_out if i % 2 == 0 else r_in) * math.cos(i * math.pi / 5))
              for i in range(10)]
    draw.polygon(points, fill=RED)
    # The name around the upper arc, each character turned to face the centre.
    chars = list(name)[:20]
    span = min(240.0, 18.0 * len(chars))
    font = _font(40)
    for i, ch in enumerate(chars):
        angle = -span / 2 + (span * (i + 0.5) / len(chars))  # degrees from the top, clockwise
        tile = Image.new("RGBA", (60, 60), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((30, 30), ch, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-angle, resample=Image.BICUBIC)
        rad = math.radians(angle)
        x, y = c + 172 * math.sin(rad), c - 172 * math.cos(rad)
        image.alpha_composite(tile, (int(x - 30), int(y - 30)))
    draw.text((c, c + 120), DEMO_MARK, font=_font(54), fill=RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
