"""Attachments in S3-compatible storage (moto in place of the service): configured by environment variables,
stored and read back through the same service and download page; local files remain the default."""

import json
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto import mock_aws

from halfbuilt.core.request_context import Actor
from halfbuilt.files.services import store_upload

from .test_files_validation import PDF, photo

S3 = "storages.backends.s3.S3Storage"


def storages_from_env(tmp_path, env: dict) -> dict:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("HALFBUILT_", "DJANGO_"))}
    environ.update({"HALFBUILT_DATA_DIR": str(tmp_path / "data"), **env})
    code = "import json; from halfbuilt.config import settings as s; print(json.dumps(getattr(s, 'STORAGES', None)))"
    result = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_bucket_setting_switches_the_default_storage_to_s3(tmp_path):
    assert storages_from_env(tmp_path, {}) is None  # Django's default: files under MEDIA_ROOT
    configured = storages_from_env(tmp_path, {
        "HALFBUILT_S3_BUCKET": "attachments", "HALFBUILT_S3_ENDPOINT_URL": "https://minio.example:9000",
        "HALFBUILT_S3_ACCESS_KEY": "ak", "HALFBUILT_S3_SECRET_KEY": "sk", "HALFBUILT_S3_REGION": "cn-north-1",
    })
    assert configured["default"]["BACKEND"] == S3
    options = configured["default"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["access_key"], options["secret_key"],
            options["region_name"]) == ("attachments", "https://minio.example:9000", "ak", "sk", "cn-north-1")
    assert configured["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    production = storages_from_env(tmp_path, {
        "HALFBUILT_S3_BUCKET": "attachments", "HALFBUILT_MODE": "production", "HALFBUILT_SECRET_KEY": "x" * 50,
        "HALFBUILT_FIELD_KEY": "ab" * 32,
    })
    assert production["default"]["BACKEND"] == S3
    assert production["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def s3_storage(settings):
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="halfbuilt-test")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": S3, "OPTIONS": {
                "bucket_name": "halfbuilt-test", "region_name": "us-east-1", "access_key": "testing",
                "secret_key": "testing", "default_acl": None, "file_overwrite": False,
            }},
        }
        yield boto3.client("s3", region_name="us-east-1")


def test_attachment_is_stored_in_the_bucket_and_downloaded_back(s3_storage, settings, users, projects):
    attachment = store_upload(actor=Actor(user=users["unit"]), project=projects["in_scope"],
                              upload=SimpleUploadedFile("竣工验收.pdf", PDF), kind="evidence")
    keys = [o["Key"] for o in s3_storage.list_objects_v2(Bucket="halfbuilt-test")["Contents"]]
    assert keys == [attachment.file.name] and keys[0].startswith("attachments/")
    assert s3_storage.get_object(Bucket="halfbuilt-test", Key=keys[0])["Body"].read() == PDF
    assert not (settings.MEDIA_ROOT / "attachments").exists()
    client = Client()
    client.force_login(users["unit"])
    response = client.get(f"/files/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_photo_in_the_bucket_has_no_exif(s3_storage, users, projects):
    from io import BytesIO

    from PIL import Image

    attachment = store_upload(actor=Actor(user=users["unit"]), project=projects["in_scope"],
                              upload=SimpleUploadedFile("p.jpg", photo()), kind="photo")
    body = s3_storage.get_object(Bucket="halfbuilt-test", Key=attachment.file.name)["Body"].read()
    assert dict(Image.open(BytesIO(body)).getexif()) == {}
    assert attachment.gps_latitude is not None
