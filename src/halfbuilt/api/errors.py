"""Every API failure answers JSON with a Chinese `detail`, never an HTML page.

Field problems are `{"detail": [{"field": key, "message": …}]}` (422, or 400 for query parameters);
everything else is `{"detail": "…"}` with 400, 401, 403, 404, 409, 503 (the database busy: try again) or 500.
"""

import logging

from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from halfbuilt.core.errors import RETRY_AFTER_SECONDS, Busy, ConflictError, NotAllowed, ServiceError, is_busy
from halfbuilt.ledger.dictionary import LABELS

from .pagination import CursorError
from .payload import PayloadError, key_of

logger = logging.getLogger(__name__)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

UNAUTHORIZED = gettext_lazy("未登录：请先登录，或在请求头中提供 Authorization: Bearer <API 令牌>")
NOT_FOUND = gettext_lazy("未找到：地址不存在，或该项目不存在、您无权查看")
READ_ONLY = {
    "id": gettext_lazy("id 由系统分配，不能填写"),
    "ledger_no": gettext_lazy("台账编号由系统生成，不能填写"),
    "status": gettext_lazy("状态不能直接修改，请使用 /projects/{id}/actions/ 接口（纳入台账、不予认定、作废）"),
}
TYPE_MESSAGES = {
    "missing": gettext_lazy("必填"),
    "string_type": gettext_lazy("应为文本"),
    "bool_type": gettext_lazy("应为 true 或 false"),
    "bool_parsing": gettext_lazy("应为 true 或 false"),
    "int_type": gettext_lazy("应为整数"),
    "int_parsing": gettext_lazy("应为整数"),
    "int_from_float": gettext_lazy("应为整数"),
    "float_type": gettext_lazy("应为数字"),
    "float_parsing": gettext_lazy("应为数字"),
    "model_attributes_type": gettext_lazy("请求体应为 JSON 对象"),
    "dict_type": gettext_lazy("请求体应为 JSON 对象"),
    "model_type": gettext_lazy("请求体应为 JSON 对象"),
}
BODY_PARSE_MESSAGE = gettext_lazy("请求体不是有效的 JSON（须以 UTF-8 编码，Content-Type: application/json）")


def _label(key: str) -> str:
    return {
        "version": _("版本号 version"), "reason": _("理由"), "page_size": _("每页条数 page_size"),
    }.get(key) or LABELS.get(
        key, key
    )


def translate(error: dict) -> dict[str, str]:
    """One pydantic error → {"field": key, "message": Chinese}."""
    loc = [str(part) for part in error.get("loc", ())]
    # ("body", "payload", "name") or ("query", "page_size"): the key is what follows the parameter name.
    key = loc[2] if loc[:1] == ["body"] and len(loc) > 2 else (loc[1] if len(loc) > 1 and loc[0] != "body" else "")
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        message = str(READ_ONLY.get(key) or _("“{key}”不是可写的字段，请对照数据字典的键名").format(key=key))
    elif kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        message = (_("{label}不能大于 {bound}") if kind == "less_than_equal" else _("{label}不能小于 {bound}")).format(
            label=_label(key), bound=bound)
    else:
        message = f"{_label(key) if key else ''}{TYPE_MESSAGES.get(kind, _('格式不正确'))}"
    return {"field": key, "message": message}


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail) -> HttpResponse:
        return api.create_response(request, {"detail": detail}, status=status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = [translate(e) for e in exc.errors]
        in_query = all((e.get("loc") or ("",))[0] in ("query", "path") for e in exc.errors)
        return respond(request, 400 if in_query else 422, errors)

    @api.exception_handler(PayloadError)
    def payload_error(request, exc: PayloadError):
        return respond(request, 422, exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        response = respond(request, 401, str(UNAUTHORIZED) if exc.message == "Unauthorized" else exc.message)
        response["WWW-Authenticate"] = 'Bearer realm="halfbuilt"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        message = str(exc)
        if message.startswith("Cannot parse request body"):
            message = str(BODY_PARSE_MESSAGE)
        elif exc.status_code == 405:
            message = _("不支持该请求方法")
        return respond(request, exc.status_code, message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, str(NOT_FOUND))

    @api.exception_handler(CursorError)
    def bad_cursor(request, exc: CursorError):
        return respond(request, 400, str(exc))

    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        if isinstance(exc, NotAllowed):
            return respond(request, 403, exc.message)
        if isinstance(exc, ConflictError):
            return respond(request, 409, exc.message)
        if exc.field:
            return respond(request, 422, [{"field": key_of(exc.field), "message": exc.message}])
        # A read changes nothing, so it can conflict with nothing: its refusal is a bad request.
        return respond(request, 400 if request.method in SAFE_METHODS else 409, exc.message)

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc: IntegrityError):
        logger.warning("API write refused by the database: %s", exc)
        return respond(request, 409, _("保存冲突：数据已被他人同时修改或编号重复，请重试"))

    @api.exception_handler(Busy)
    def busy(request, exc: Busy):
        response = respond(request, 503, exc.message)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @api.exception_handler(OperationalError)
    def database_error(request, exc: OperationalError):
        if is_busy(exc):
            return busy(request, Busy())
        return unexpected(request, exc)

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        logger.exception("API error on %s", request.path)
        return respond(request, 500, _("服务器内部错误，已记录日志，请稍后重试或联系系统管理员"))

