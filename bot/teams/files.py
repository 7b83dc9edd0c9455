"""Handing a file to a person in Teams: upload to the URL the consent gave, then show it.

After the person accepts a FileConsentCard (``render.consent_card``), Teams sends a
``fileConsent/invoke`` with an ``uploadUrl`` in the person's OneDrive; the bot ``PUT``s the
bytes there in one range and then posts a FileInfoCard (``render.file_info_card``) so the
file appears in the chat. Files here are small (a report PDF is tens of kilobytes), well
under the 4 MiB Teams takes in one request.
"""

from __future__ import annotations

import aiohttp

UPLOAD_TIMEOUT = aiohttp.ClientTimeout(total=60)


class UploadFailed(Exception):
    """The upload URL refused the bytes or could not be reached."""


async def upload(url: str, content: bytes) -> None:
    size = len(content)
    headers = {
        "Content-Length": str(size),
        "Content-Range": f"bytes 0-{size - 1}/{size}",
    }
    try:
        async with (
            aiohttp.ClientSession(timeout=UPLOAD_TIMEOUT) as session,
            session.put(url, data=content, headers=headers) as response,
        ):
            if response.status >= 300:
                raise UploadFailed(f"the upload URL answered {response.status}")
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise UploadFailed(f"{exc.__class__.__name__}") from exc
