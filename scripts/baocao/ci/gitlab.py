"""Who opened a GitLab merge request: its author, from the API.

In a merge-request pipeline GitLab sets ``GITLAB_USER_LOGIN`` to whoever *started the
pipeline* (a maintainer pressing "Run pipeline", or the last pusher), not the author of the
merge request, so it cannot stand for the submitter. The author comes from
``GET /projects/:id/merge_requests/:iid`` (``author.username``), read with a token that can
read the API: ``BAOCAO_API_TOKEN`` (a project access token with ``read_api``) or, where the
instance allows it, the job's own ``CI_JOB_TOKEN``. No answer means no author: the check
fails closed rather than trusting another name."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping


class AuthorError(Exception):
    """The author could not be read; the message is in Vietnamese."""


def merge_request_author(env: Mapping[str, str] = os.environ, timeout: float = 15) -> str:
    api, project, iid = env.get("CI_API_V4_URL"), env.get("CI_PROJECT_ID"), env.get("CI_MERGE_REQUEST_IID")
    if not (api and project and iid):
        raise AuthorError(
            "Không phải pipeline của merge request (thiếu CI_API_V4_URL, CI_PROJECT_ID hoặc CI_MERGE_REQUEST_IID)."
        )
    quote = urllib.parse.quote
    url = f"{api.rstrip('/')}/projects/{quote(project, safe='')}/merge_requests/{quote(iid, safe='')}"
    if env.get("BAOCAO_API_TOKEN"):
        headers = {"PRIVATE-TOKEN": env["BAOCAO_API_TOKEN"]}
    elif env.get("CI_JOB_TOKEN"):
        headers = {"JOB-TOKEN": env["CI_JOB_TOKEN"]}
    else:
        raise AuthorError("Thiếu BAOCAO_API_TOKEN (token đọc API của dự án) để biết ai tạo merge request.")
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = json.loads(response.read(1 << 20))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise AuthorError(f"Không đọc được merge request !{iid} từ API của GitLab: {exc}") from exc
    author = data.get("author") if isinstance(data, dict) else None
    username = author.get("username") if isinstance(author, dict) else None
    if not isinstance(username, str) or not username:
        raise AuthorError(f"API của GitLab không cho biết tác giả của merge request !{iid}.")
    return username
