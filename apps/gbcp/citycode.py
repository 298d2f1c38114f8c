"""City codes (城市码): stable codes with a check character, their QR labels and reading them back.

A code is the 6-digit district code, one letter for the kind (P place,
E entity, D device), an 8-digit sequence and an ISO 7064 MOD 37,36 check
character over all of it, e.g. ``110101P00000042W``.
"""
import io
import re

import segno
from PIL import ImageOps, UnidentifiedImageError
from stdnum.iso7064 import mod_37_36

from apps.gbcp.images import ImageUnreadable, open_image

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KINDS = {"place": "P", "entity": "E", "device": "D"}
CODE_RE = re.compile(r"(\d{6})([PED])(\d{8})([0-9A-Z])")


def check_char(body: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid system) check character, as python-stdnum computes it."""
    return mod_37_36.calc_check_digit(body)


def build(region_code: str, kind: str, sequence: int) -> str:
    body = f"{region_code[:6]}{KINDS[kind]}{sequence:08d}"
    return body + check_char(body)


def is_valid(code: str) -> bool:
    code = (code or "").strip().upper()
    return bool(CODE_RE.fullmatch(code)) and check_char(code[:-1]) == code[-1]


def extract(text: str) -> str | None:
    """Find a valid code in text read from a label (bare code or a URL ending in one)."""
    for match in CODE_RE.finditer((text or "").upper()):
        if is_valid(match.group(0)):
            return match.group(0)
    return None


def qr(code: str):
    return segno.make(code, error="m", micro=False)


def qr_png(code: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr(code).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(code: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    qr(code).save(buffer, kind="svg", scale=scale, border=4, title=code)
    return buffer.getvalue()


# A CJK TrueType font for the printed name (Debian's fonts-wqy-zenhei, installed by bin/ensure-system-deps).
LABEL_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _label_font(size):
    from PIL import ImageFont  # noqa: PLC0415 - only labels draw text; reading codes needs no font

    for path in LABEL_FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _wrap(draw, text, font, width):
    """Lines of ``text`` no wider than ``width`` pixels (Chinese has no spaces: break between any characters)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def label_png(code: str, name: str = "", scale: int = 8) -> bytes:
    """The printed label: the QR code, the place's name and the city code in plain text under it (so a person
    without a scanner can read and type it)."""
    from PIL import Image, ImageDraw  # noqa: PLC0415 - only labels draw

    matrix = io.BytesIO()
    qr(code).save(matrix, kind="png", scale=scale, border=4)
    code_image = Image.open(io.BytesIO(matrix.getvalue())).convert("RGB")
    width = code_image.width
    name_font, code_font = _label_font(max(scale * 3, 14)), _label_font(max(scale * 2 + 4, 12))
    measure = ImageDraw.Draw(code_image)
    name_lines = _wrap(measure, name.strip(), name_font, width - 2 * scale)[:3]
    line_height = int(name_font.size * 1.3)
    height = code_image.height + line_height * len(name_lines) + int(code_font.size * 1.6) + scale
    label = Image.new("RGB", (width, height), "white")
    label.paste(code_image, (0, 0))
    draw = ImageDraw.Draw(label)
    y = code_image.height
    for line in name_lines:
        draw.text(((width - draw.textlength(line, font=name_font)) / 2, y), line, fill="black", font=name_font)
        y += line_height
    draw.text(((width - draw.textlength(code, font=code_font)) / 2, y), code, fill="black", font=code_font)
    out = io.BytesIO()
    label.save(out, format="PNG")
    return out.getvalue()


def label_svg(code: str, name: str = "", scale: int = 8) -> bytes:
    """The label as SVG: the QR code's paths with the name and the code as text (escaped) under it."""
    from xml.sax.saxutils import escape  # noqa: PLC0415 - only the SVG label escapes text

    symbol = qr(code)
    size = symbol.symbol_size(scale=scale, border=4)[0]
    inline = symbol.svg_inline(scale=scale, border=4)
    font = max(scale * 3, 14)
    lines = [name.strip()[i:i + 12] for i in range(0, min(len(name.strip()), 36), 12)] if name.strip() else []
    texts = "".join(
        f'<text x="{size / 2:g}" y="{size + font * (i + 1.1):g}" font-size="{font}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    texts += (f'<text x="{size / 2:g}" y="{size + font * (len(lines) + 1.3):g}" font-size="{font * 0.75:g}" text-anchor="middle" '
              f'font-family="monospace">{escape(code)}</text>')
    height = size + font * (len(lines) + 1.8)
    svg = (f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{size:g}" height="{height:g}" '
           f'viewBox="0 0 {size:g} {height:g}"><title>{escape(code)}</title><rect width="100%" height="100%" fill="#fff"/>'
           f'{inline}{texts}</svg>')
    return svg.encode("utf-8")


class UnreadableImage(ValueError):
    """The upload is not an image we can read."""


def read_codes_from_image(fileobj) -> list[str]:
    """All texts of QR codes in a photo (pyzbar), trying a cleaned-up grey copy too."""
    from pyzbar import pyzbar

    # A bomb is refused by its header (ImageTooLarge, a 400 that says so) before any pixel is decoded.
    try:
        with open_image(fileobj) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            image.load()
    except ImageUnreadable as exc:
        raise UnreadableImage(exc.message) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableImage(str(exc)) from exc
    grey = image.convert("L")
    texts = []
    for candidate in (grey, ImageOps.autocontrast(grey)):
        for symbol in pyzbar.decode(candidate, symbols=[pyzbar.ZBarSymbol.QRCODE]):
            text = symbol.data.decode("utf-8", errors="replace")
            if text not in texts:
                texts.append(text)
        if texts:
            break
    return texts


def read_city_code_from_image(fileobj) -> str | None:
    for text in read_codes_from_image(fileobj):
        code = extract(text)
        if code:
            return code
    return None
