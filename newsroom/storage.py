"""Photos on object storage (MEDIA_STORAGE=s3): one bucket, two kinds of file.

Readers only ever get renditions (articles/photos/renditions.py): those are public-read and linked at
the public host (AWS_S3_CUSTOM_DOMAIN, such as a CDN, else the bucket's endpoint). Originals, as
uploaded under Photo.image's `photos/` prefix, are private: no public grant, and their URL is a
short-lived signed one for the back office, never the public host.
"""

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

ORIGINALS_PREFIX = "photos/"  # Photo.image's upload_to


class MediaStorage(S3Storage):
    querystring_auth = False  # renditions: plain, cacheable URLs

    def is_original(self, name: str) -> bool:
        return clean_name(name).startswith(ORIGINALS_PREFIX)

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        parameters["ACL"] = "private" if self.is_original(name) else "public-read"
        return parameters

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.is_original(name):
            return super().url(name, parameters, expire, http_method)
        # Signed by the bucket itself, whatever public host renditions use.
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket.name, "Key": self._normalize_name(clean_name(name))},
            ExpiresIn=expire or self.querystring_expire,
            HttpMethod=http_method,
        )
