"""What a league's contact list may call each column, and how it may name a role: data matched against, never
shown (the template's own headers are `imports.COLUMNS`)."""

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("姓名", "联系人", "联系人姓名"),
    "username": ("登录名", "用户名", "账号", "登录账号"),
    "org_name": ("单位", "单位名称", "所在单位", "工作单位"),
    "region_code": ("单位所在地区代码", "地区代码", "行政区划代码", "所在地区代码"),
    "role": ("角色", "用户角色"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件"),
}
ROLE_ALIASES: dict[str, str] = {
    "领导小组办公室": "office", "办公室": "office",
    "行业主管部门": "department", "主管部门": "department",
    "盟市/旗县": "region", "盟市": "region", "旗县": "region", "地区": "region", "属地政府": "region",
    "责任单位": "unit", "单位": "unit",
}
ROLE_SEPARATORS = "、,，;；/ "
