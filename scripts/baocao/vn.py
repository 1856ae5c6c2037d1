"""Vietnamese presentation of numbers, times and durations: one place for every page,
export and message."""

from __future__ import annotations

from datetime import datetime, timedelta


def number(value: float | int | None, decimals: int | None = None) -> str:
    """1234.5 -> '1.234,5' (dot for thousands, comma for decimals)."""
    if value is None:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    text = f"{value:,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def when(moment: datetime | None, tz: object | None = None) -> str:
    """'20/06/2022 08:15' in the given zone (or the moment's own)."""
    if moment is None:
        return ""
    if tz is not None:
        moment = moment.astimezone(tz)  # type: ignore[arg-type]
    return f"{moment:%d/%m/%Y %H:%M}"


def day(moment: datetime) -> str:
    return f"{moment:%d/%m/%Y}"


def duration(delta: timedelta | float) -> str:
    """timedelta -> '2 ngày 3 giờ', '45 phút', '1 phút' (largest two units)."""
    seconds = int(delta.total_seconds() if isinstance(delta, timedelta) else delta)
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [(days, "ngày"), (hours, "giờ"), (minutes, "phút")]
    shown = [f"{n} {unit}" for n, unit in parts if n][:2]
    return " ".join(shown) if shown else "dưới 1 phút"


_ZONE_NAMES = {"Asia/Ho_Chi_Minh": "Việt Nam", "Asia/Saigon": "Việt Nam"}


def zone_name(tz: object) -> str:
    """A time zone as a reader says it: 'Việt Nam' for Asia/Ho_Chi_Minh, else 'UTC+07:00'."""
    key = str(getattr(tz, "key", tz))
    if key in _ZONE_NAMES:
        return _ZONE_NAMES[key]
    from datetime import datetime

    offset = datetime.now(tz).strftime("%z") if hasattr(tz, "utcoffset") else ""  # type: ignore[arg-type]
    return f"UTC{offset[:3]}:{offset[3:]}" if offset else key
