"""Draw the field client's home-screen icons (static/field/icon-*.png) with Pillow: run again after a change of design.

Usage: .venv/bin/python tools/field_icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
OUT = Path(__file__).resolve().parent.parent / "static" / "field"


def icon(size: int) -> Image.Image:
    # Full-bleed background and the mark inside the middle 80 %: safe as a maskable icon (circle or squircle crops).
    image = Image.new("RGB", (size, size), "#1f5fa8")
    draw = ImageDraw.Draw(image)
    inset = size * 0.2
    draw.rounded_rectangle((inset, inset, size - inset, size - inset), radius=size * 0.08, outline="white", width=max(2, size // 40))
    font = ImageFont.truetype(FONT, int(size * 0.24))
    draw.text((size / 2, size / 2), "城管", fill="white", font=font, anchor="mm")
    return image


if __name__ == "__main__":
    for size in (192, 512):
        icon(size).save(OUT / f"icon-{size}.png", optimize=True)
        print(OUT / f"icon-{size}.png")
