"""Fill a blank ReviewDesk application workbook as an applicant would, with
openpyxl (another program than the one that wrote it): the applicant form and
one C2 research project, choosing from each dropdown's list.

    python fill_template.py BLANK.xlsx FILLED.xlsx
"""

import datetime
import sys

import openpyxl


def choices(ws, cell):
    """The list a cell's dropdown offers, or []."""
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and cell in dv.sqref:
            return [c.strip() for c in (dv.formula1 or "").strip('"').split(",") if c.strip()]
    return []


def main(src, dst):
    wb = openpyxl.load_workbook(src)
    ws = wb["申报单位"]
    values = {
        "单位名称": "重庆往返测试科技有限公司",
        "统一社会信用代码": "91500103MA61QX3D6W",
        "注册地址": "重庆市渝中区解放碑街道民族路 188 号",
        "注册区县": "渝中区",
        "成立日期": datetime.datetime(2019, 3, 8),
        "法定代表人": "王测试",
        "联系人": "李往返",
        "联系电话": "023-63800000",
        "电子邮箱": "roundtrip@example.cn",
        "上年度营业收入（万元）": 1234.56,
        "上年度纳税总额（万元）": 56.78,
        "上年末从业人员（人）": 88,
        "开户银行": "中国工商银行重庆解放碑支行",
        "银行账号": "6222021234567890123",
    }
    for row in range(2, ws.max_row + 1):
        label = str(ws.cell(row, 1).value or "").rstrip("*").strip()
        target = ws.cell(row, 2)
        if label in values:
            target.value = values[label]
        elif target.value is None:
            options = choices(ws, target.coordinate)
            if options:
                target.value = "是" if "是" in options else options[0]

    ws = wb["C2-技术攻关"]
    project = {
        "项目名称": "国产算力异构调度关键技术（往返测试）",
        "立项文号": "渝科发〔2025〕12号",
        "资助到账金额（万元）": 650,
        "到账日期": datetime.datetime(2025, 6, 30),
        "项目简介": "openpyxl 填写，LibreOffice 转换",
    }
    for col in range(1, ws.max_column + 1):
        header = str(ws.cell(1, col).value or "").rstrip("*").strip()
        cell = ws.cell(2, col)
        if header in project:
            cell.value = project[header]
        else:
            options = choices(ws, cell.coordinate)
            if options:
                cell.value = options[0]
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
