"""Media storage on the local disk that never leaves a partial file behind.

Django's FileSystemStorage writes an upload straight to its final name; when the disk fills up
halfway, the truncated file stays there, public under MEDIA_URL. Here the bytes go to a hidden
temporary file in the same folder first and are renamed into place only once complete; a failed
write removes the temporary file.
"""

import contextlib
import errno
import functools
import os
import tempfile

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.views.static import serve

# What a full disk looks like to a writer: no space, or over the quota.
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS


class _WrittenFile(File):
    """A complete file on disk, which FileSystemStorage moves into place by renaming."""

    def __init__(self, path):
        super().__init__(None, name=path)
        self.path = path

    def temporary_file_path(self):
        return self.path


class AtomicFileSystemStorage(FileSystemStorage):
    @functools.cached_property
    def _remembered_url(self):
        # A front page names hundreds of renditions, the same ones on every render, and
        # FileSystemStorage.url (urljoin) was a visible share of rendering it.
        return functools.lru_cache(maxsize=16_384)(super().url)

    def url(self, name):
        return self._remembered_url(name)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)  # MEDIA_URL changed: forget too
        self.__dict__.pop("_remembered_url", None)

    def _save(self, name, content):
        if hasattr(content, "temporary_file_path"):
            return super()._save(name, content)  # already complete on disk: moved by rename
        directory = os.path.dirname(self.path(name))
        os.makedirs(directory, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            return super()._save(name, _WrittenFile(partial))
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(partial)


def send_original(request, name: str, *, cache_control: str) -> HttpResponse:
    """The answer carrying the original file `name`, for whoever was found allowed to see it:
    a redirect to a freshly signed address where the storage signs its originals (object
    storage: newsroom/storage.py), else the file itself, from the storage (with Last-Modified and
    304s on local disk)."""
    signs = getattr(default_storage, "is_original", None)
    if signs is not None and signs(name):
        response = HttpResponseRedirect(default_storage.url(name))
    elif isinstance(default_storage, FileSystemStorage):
        response = serve(request, name, document_root=default_storage.location)
    else:
        response = FileResponse(default_storage.open(name))
    response["Cache-Control"] = cache_control
    return response
