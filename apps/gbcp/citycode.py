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
