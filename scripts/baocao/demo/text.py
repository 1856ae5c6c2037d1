"""Report texts for the demo campaign: composed per unit from phrase pools and per-unit
figures, so that no two reports read alike (sentence choice, order, sub-headings, tables,
"Không có" sections and heading styles all vary with a seed)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from baocao.campaign.model import Campaign, Unit
from baocao.reports.outline import strip_numbering
from baocao.vn import number

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh")
MIDDLE = ("Văn", "Thị", "Minh", "Đức", "Thanh", "Ngọc", "Quốc", "Hữu", "Công", "Xuân")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hòa", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Thảo")

# Kinds of unit: what they call themselves, their document symbol and the signer's title.
KINDS = {
    "cap-huyen": ("địa phương", "BC/HU", "Phó Bí thư Thường trực"),
    "dang-uy-truc-thuoc": ("đảng bộ", "BC/ĐU", "Phó Bí thư Đảng ủy"),
    "ban-dang-bao-chi": ("cơ quan", "BC/CQ", "Phó Trưởng ban"),
    "ban-can-su-dang-doan": ("cơ quan", "BC/ĐĐ", "Phó Bí thư"),
    "co-quan-tham-muu": ("cơ quan", "BC/BNCTU", "Phó Trưởng ban"),
}

# One pool per outline section: each entry a sentence with {placeholders} from Figures.
POOLS: dict[str, tuple[str, ...]] = {
    "lanh-dao-chi-dao": (
        "Ngay sau khi nhận được Kết luận số 02-KL/TW, {self} đã ban hành {van_ban} văn bản lãnh đạo, chỉ đạo "
        "triển khai thực hiện, trong đó có kế hoạch cụ thể hóa Kế hoạch số 57-KH/TU.",
        "{self_cap} tổ chức {hoi_nghi} hội nghị quán triệt cho {quan_triet} lượt cán bộ, đảng viên; "
        "nội dung quán triệt được lồng ghép vào sinh hoạt chi bộ định kỳ.",
        "Ban Thường vụ đã phân công đồng chí Phó Bí thư trực tiếp theo dõi, đôn đốc việc thực hiện; "
        "định kỳ hằng quý nghe báo cáo tình hình công tác phòng cháy, chữa cháy.",
        "Công tác phòng cháy, chữa cháy được đưa vào chương trình kiểm tra, giám sát năm 2022 của {self}.",
        "Các chi bộ, đảng bộ cơ sở đã xây dựng kế hoạch thực hiện phù hợp với đặc điểm, tình hình của mình.",
        "Việc triển khai có lúc còn chậm so với yêu cầu do trùng với thời điểm tập trung phòng, chống dịch COVID-19.",
    ),
    "tuyen-truyen": (
        "Đã tổ chức {tuyen_truyen} buổi tuyên truyền trực tiếp, thu hút khoảng {luot_nghe} lượt người tham dự.",
        "Phát {tin_bai} tin, bài trên hệ thống truyền thanh cơ sở, trang thông tin điện tử và mạng xã hội.",
        "Hưởng ứng “Ngày toàn dân phòng cháy, chữa cháy” (04/10), {self} phát động phong trào "
        "“Toàn dân tham gia phòng cháy, chữa cháy” đến từng khu dân cư.",
        "Phối hợp với lực lượng Cảnh sát phòng cháy, chữa cháy in và cấp phát {to_roi} tờ rơi, áp phích.",
        "Nội dung tuyên truyền tập trung vào kỹ năng thoát nạn, sử dụng bình chữa cháy và an toàn điện trong gia đình.",
        "Mô hình “Khu dân cư an toàn về phòng cháy, chữa cháy” được nhân rộng, hiện có {mo_hinh} mô hình.",
    ),
    "quan-ly-nha-nuoc": (
        "Tổ chức kiểm tra {kiem_tra} lượt cơ sở, phát hiện {vi_pham} vi phạm, xử phạt {xu_phat} trường hợp "
        "với số tiền {tien_phat} triệu đồng.",
        "Rà soát, lập danh sách {nguy_hiem} cơ sở có nguy hiểm về cháy, nổ để quản lý theo quy định.",
        "Thẩm duyệt thiết kế và nghiệm thu về phòng cháy, chữa cháy đối với {tham_duyet} công trình.",
        "Việc kiểm tra tập trung vào chợ, nhà trọ, cơ sở kinh doanh karaoke, xăng dầu và kho hàng.",
        "Qua kiểm tra đã kiến nghị khắc phục nhiều tồn tại về hệ thống điện, lối thoát nạn và phương tiện chữa cháy.",
    ),
    "xay-dung-luc-luong": (
        "Hiện có {doi_dan_phong} đội dân phòng với {dan_phong} đội viên và {doi_co_so} đội phòng cháy, chữa cháy "
        "cơ sở; {lop} lớp tập huấn nghiệp vụ đã được mở cho {luot_tap_huan} lượt người.",
        "Kinh phí đầu tư phương tiện phòng cháy, chữa cháy trong kỳ khoảng {kinh_phi} triệu đồng.",
        "Trang bị thêm bình chữa cháy, thang dây, đèn pin chiếu sáng sự cố cho các đội dân phòng.",
        "Lực lượng được kiện toàn theo Nghị định số 136/2020/NĐ-CP; chế độ chính sách cho đội viên được bảo đảm.",
        "Đã tổ chức thực tập phương án chữa cháy và cứu nạn, cứu hộ có huy động nhiều lực lượng tham gia.",
    ),
    "tinh-hinh-chay-no": (
        "Trong kỳ xảy ra {vu_chay} vụ cháy, {vu_no} vụ nổ, làm chết {chet} người, bị thương {bi_thuong} người, "
        "thiệt hại tài sản ước tính {thiet_hai} triệu đồng.",
        "Nguyên nhân chủ yếu do sự cố hệ thống, thiết bị điện và sơ suất trong sử dụng lửa.",
        "Lực lượng chức năng đã tham gia {cuu_ho} vụ cứu nạn, cứu hộ, cứu được {duoc_cuu} người.",
        "Các vụ cháy đều được phát hiện, báo tin và cứu chữa kịp thời, không để cháy lan trên diện rộng.",
    ),
    "uu-diem": (
        "Nhận thức của cấp ủy, chính quyền và nhân dân về công tác phòng cháy, chữa cháy có chuyển biến rõ nét.",
        "Sự phối hợp giữa các ngành, đoàn thể trong tuyên truyền và kiểm tra chặt chẽ hơn.",
        "Phong trào toàn dân tham gia phòng cháy, chữa cháy được duy trì; nhiều mô hình hiệu quả được nhân rộng.",
        "Số vụ cháy và thiệt hại giảm so với cùng kỳ năm trước.",
    ),
    "ton-tai-han-che": (
        "Một số cấp ủy chưa quan tâm đúng mức; việc cụ thể hóa Kết luận số 02 ở một vài nơi còn chậm.",
        "Phương tiện chữa cháy của lực lượng dân phòng còn thiếu, chất lượng chưa cao.",
        "Vi phạm quy định về phòng cháy, chữa cháy ở hộ gia đình kết hợp sản xuất, kinh doanh vẫn còn.",
        "Hạ tầng giao thông, nguồn nước phục vụ chữa cháy ở vùng sâu, vùng xa chưa đáp ứng yêu cầu.",
    ),
    "nguyen-nhan": (
        "Nguyên nhân khách quan: địa bàn rộng, thời tiết nắng nóng kéo dài; nguồn lực đầu tư còn hạn chế.",
        "Nguyên nhân chủ quan: một bộ phận người dân còn chủ quan; công tác kiểm tra có lúc chưa thường xuyên.",
        "Kinh phí dành cho công tác phòng cháy, chữa cháy chưa tương xứng với yêu cầu nhiệm vụ.",
    ),
    "bai-hoc-kinh-nghiem": (
        "Phải phát huy vai trò lãnh đạo của cấp ủy và trách nhiệm của người đứng đầu.",
        "Kết hợp chặt chẽ tuyên truyền với kiểm tra, xử lý nghiêm vi phạm.",
        "Huy động sức mạnh tổng hợp của cả hệ thống chính trị và nhân dân.",
    ),
    "phuong-huong": (
        "Tiếp tục quán triệt, thực hiện nghiêm Kết luận số 02 và Kế hoạch số 57 của Ban Thường vụ Tỉnh ủy.",
        "Đẩy mạnh tuyên truyền, nhân rộng mô hình “Tổ liên gia an toàn phòng cháy, chữa cháy”.",
        "Tăng cường kiểm tra an toàn phòng cháy, chữa cháy tại các cơ sở có nguy hiểm về cháy, nổ.",
        "Ưu tiên bố trí kinh phí mua sắm phương tiện cho lực lượng dân phòng, phòng cháy và chữa cháy cơ sở.",
        "Nâng cao chất lượng thực tập phương án chữa cháy tại chỗ.",
    ),
    "de-xuat-kien-nghi": (
        "Đề nghị UBND tỉnh quan tâm bố trí kinh phí đầu tư phương tiện chữa cháy cho {self}.",
        "Kiến nghị sớm ban hành quy định hỗ trợ chế độ cho lực lượng dân phòng.",
        "Đề nghị tăng cường tập huấn nghiệp vụ cho cán bộ làm công tác phòng cháy, chữa cháy ở cơ sở.",
    ),
}

# Optional sections a unit may answer with "Không có." (the outline allows it).
MAY_BE_NONE = ("de-xuat-kien-nghi", "bai-hoc-kinh-nghiem", "nguyen-nhan")
OWN_SUBHEADINGS = {
    "lanh-dao-chi-dao": ("a) Việc ban hành văn bản", "b) Tổ chức quán triệt"),
    "quan-ly-nha-nuoc": ("Kết quả kiểm tra", "Xử lý vi phạm"),
    "xay-dung-luc-luong": ("Lực lượng", "Phương tiện, kinh phí"),
}


@dataclass
class Figures:
    """Per-unit numbers, drawn once and used both in prose and in so_lieu."""

    values: dict[str, int | float]
    extra: dict[str, int]


def figures(rng: random.Random, group: str) -> Figures:
    big = group == "cap-huyen"
    fires = rng.randint(3, 28) if big else rng.choice((0, 0, 1, 2))
    checks = rng.randint(150, 900) if big else rng.randint(2, 40)
    faults = rng.randint(checks // 12, checks // 5)
    fined = rng.randint(0, faults // 2)
    trainings = rng.randint(4, 30) if big else rng.randint(1, 4)
    values: dict[str, int | float] = {
        "so_vu_chay": fires,
        "so_vu_no": rng.choice((0, 0, 0, 1)) if big else 0,
        "so_nguoi_chet": rng.choice((0, 0, 0, 1)) if fires > 10 else 0,
        "so_nguoi_bi_thuong": rng.randint(0, 4) if fires else 0,
        "thiet_hai_tai_san": round(fires * rng.uniform(20, 250), 1),
        "so_vu_cuu_nan_cuu_ho": rng.randint(0, 9) if big else 0,
        "so_nguoi_duoc_cuu": 0,
        "so_luot_co_so_kiem_tra": checks,
        "so_vi_pham_phat_hien": faults,
        "so_truong_hop_xu_phat": fined,
        "so_tien_phat": round(fined * rng.uniform(1.5, 12), 1),
        "so_lop_tap_huan": trainings,
        "so_luot_nguoi_tap_huan": trainings * rng.randint(30, 90),
        "so_doi_pccc_co_so": rng.randint(10, 120) if big else rng.randint(0, 3),
        "so_doi_dan_phong": rng.randint(40, 180) if big else 0,
    }
    values["so_nguoi_duoc_cuu"] = values["so_vu_cuu_nan_cuu_ho"] * rng.randint(0, 3)
    extra = {
        "van_ban": rng.randint(2, 9),
        "hoi_nghi": rng.randint(1, 6),
        "quan_triet": rng.randint(80, 2500),
        "tuyen_truyen": rng.randint(5, 220),
        "luot_nghe": rng.randint(300, 25000),
        "tin_bai": rng.randint(8, 320),
        "to_roi": rng.randint(500, 12000),
        "mo_hinh": rng.randint(1, 40),
        "nguy_hiem": rng.randint(5, 160),
        "tham_duyet": rng.randint(0, 35),
        "dan_phong": int(values["so_doi_dan_phong"]) * rng.randint(5, 9),
        "kinh_phi": rng.randint(50, 3500),
    }
    return Figures(values, extra)


def _fill(sentence: str, unit: Unit, f: Figures, kind: str) -> str:
    v = f.values
    mapping = {
        "self": f"{kind} {unit.name}" if kind != "địa phương" else unit.name,
        "self_cap": unit.name,
        "kiem_tra": number(v["so_luot_co_so_kiem_tra"]),
        "vi_pham": number(v["so_vi_pham_phat_hien"]),
        "xu_phat": number(v["so_truong_hop_xu_phat"]),
        "tien_phat": number(v["so_tien_phat"]),
        "doi_dan_phong": number(v["so_doi_dan_phong"]),
        "doi_co_so": number(v["so_doi_pccc_co_so"]),
        "lop": number(v["so_lop_tap_huan"]),
        "luot_tap_huan": number(v["so_luot_nguoi_tap_huan"]),
        "vu_chay": number(v["so_vu_chay"]),
        "vu_no": number(v["so_vu_no"]),
        "chet": number(v["so_nguoi_chet"]),
        "bi_thuong": number(v["so_nguoi_bi_thuong"]),
        "thiet_hai": number(v["thiet_hai_tai_san"]),
        "cuu_ho": number(v["so_vu_cuu_nan_cuu_ho"]),
        "duoc_cuu": number(v["so_nguoi_duoc_cuu"]),
        **{k: number(n) for k, n in f.extra.items()},
    }
    return sentence.format(**mapping)


def _section_text(rng: random.Random, sid: str, unit: Unit, f: Figures, kind: str, level: int) -> str:
    pool = list(POOLS.get(sid, ("Không có.",)))
    if sid in MAY_BE_NONE and rng.random() < 0.3:
        return "Không có."
    picked = rng.sample(pool, k=min(len(pool), rng.randint(2, 4)))
    sentences = [_fill(s, unit, f, kind) for s in picked]
    style = rng.random()
    if sid in OWN_SUBHEADINGS and style < 0.3 and len(sentences) >= 2:
        a, b = OWN_SUBHEADINGS[sid]
        half = len(sentences) // 2
        hashes = "#" * min(level + 1, 6)
        return f"{hashes} {a}\n\n{' '.join(sentences[:half])}\n\n{hashes} {b}\n\n{' '.join(sentences[half:])}"
    if sid == "tinh-hinh-chay-no" and style < 0.5:
        v = f.values
        table = (
            "| Chỉ tiêu | Kết quả |\n|---|---:|\n"
            f"| Số vụ cháy | {number(v['so_vu_chay'])} |\n| Số vụ nổ | {number(v['so_vu_no'])} |\n"
            f"| Thiệt hại (triệu đồng) | {number(v['thiet_hai_tai_san'])} |"
        )
        return f"{sentences[0]}\n\n{table}\n\n{' '.join(sentences[1:])}".strip()
    if style < 0.55:
        return "\n".join(f"- {s}" for s in sentences)
    if style < 0.8:
        return " ".join(sentences)
    return "\n\n".join(sentences)


def _heading(text: str, level: int, numbered: bool) -> str:
    return f"{'#' * level} {text if numbered else strip_numbering(text)}"


def unit_report(campaign: Campaign, unit: Unit, seed: int, signed: date, number: int) -> tuple[str, Figures]:
    """A whole stage-1 report for ``unit``: front matter, title and every outline section."""
    rng = random.Random(seed)
    kind, symbol, signer_title = KINDS.get(unit.group, KINDS["ban-dang-bao-chi"])
    f = figures(rng, unit.group)
    signer = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    top = rng.choice((1, 2))  # sections at # (title in bold) or at ## (title as #)
    numbered = rng.random() < 0.75
    lines = [
        "---",
        f"don_vi: {unit.id}",
        f"so_hieu: {number}-{symbol}",
        f"ngay: {signed.isoformat()}",
        f"nguoi_ky: {signer}",
        f"chuc_vu: {signer_title}",
        "so_lieu:",
        *(f"  {k}: {v}" for k, v in f.values.items()),
        "---",
        "",
    ]
    title = f"Sơ kết 01 năm thực hiện Kết luận số 02-KL/TW và Kế hoạch số 57-KH/TU tại {unit.name}"
    lines += [f"# BÁO CÁO {title}", ""] if top == 2 else [f"**BÁO CÁO** — {title}", ""]
    intro = rng.choice(
        (
            f"Thực hiện Công văn số {campaign.directive.number} ngày {campaign.directive.date:%d/%m/%Y} "
            f"của Thường trực Tỉnh ủy, {unit.name} báo cáo như sau:",
            f"Căn cứ Công văn số {campaign.directive.number} của Thường trực Tỉnh ủy về sơ kết Kết luận số 02, "
            f"{unit.name} báo cáo kết quả thực hiện như sau:",
            f"{unit.name} báo cáo sơ kết 01 năm thực hiện Kết luận số 02-KL/TW như sau:",
        )
    )
    lines += [intro, ""]
    for sec in campaign.outline:
        lines += [_heading(sec.heading, top, numbered), ""]
        if sec.sections:
            for sub in sec.sections:
                lines += [_heading(sub.heading, top + 1, numbered), ""]
                lines += [_section_text(rng, sub.id, unit, f, kind, top + 1), ""]
        else:
            lines += [_section_text(rng, sec.id, unit, f, kind, top), ""]
    lines += [f"*Nơi nhận:* Ban Thường vụ Tỉnh ủy (qua Đảng ủy Công an tỉnh); lưu Văn phòng {unit.name}.", ""]
    return "\n".join(lines), f


def draft_report(campaign: Campaign, unit: Unit, totals: dict[str, int | float], reported: int, signed: date) -> str:
    """Stage 2: the provincial draft compiled by Đảng ủy Công an tỉnh, with summed figures."""
    total_units = len(campaign.stage_units(campaign.stages[0]))
    v = {k: number(x) for k, x in totals.items()}
    body = {
        "lanh-dao-chi-dao": f"Đến nay có {reported}/{total_units} cơ quan, đơn vị, địa phương đã gửi báo cáo sơ kết. "
        "Các cấp ủy đã ban hành kế hoạch, tổ chức quán triệt Kết luận số 02 và Kế hoạch số 57 đến cán bộ, đảng viên.",
        "tuyen-truyen": "Công tác tuyên truyền được đẩy mạnh với nhiều hình thức phong phú; mô hình "
        "“Khu dân cư an toàn về phòng cháy, chữa cháy” được nhân rộng ở hầu hết các địa phương.",
        "quan-ly-nha-nuoc": f"Toàn tỉnh kiểm tra {v['so_luot_co_so_kiem_tra']} lượt cơ sở, phát hiện "
        f"{v['so_vi_pham_phat_hien']} vi phạm, xử phạt {v['so_truong_hop_xu_phat']} trường hợp với số tiền "
        f"{v['so_tien_phat']} triệu đồng.",
        "xay-dung-luc-luong": f"Toàn tỉnh có {v['so_doi_dan_phong']} đội dân phòng, {v['so_doi_pccc_co_so']} đội "
        f"phòng cháy, chữa cháy cơ sở; mở {v['so_lop_tap_huan']} lớp tập huấn cho {v['so_luot_nguoi_tap_huan']} "
        "lượt người.",
        "tinh-hinh-chay-no": f"Xảy ra {v['so_vu_chay']} vụ cháy, {v['so_vu_no']} vụ nổ, làm chết {v['so_nguoi_chet']} "
        f"người, bị thương {v['so_nguoi_bi_thuong']} người, thiệt hại {v['thiet_hai_tai_san']} triệu đồng; "
        f"cứu nạn, cứu hộ {v['so_vu_cuu_nan_cuu_ho']} vụ, cứu được {v['so_nguoi_duoc_cuu']} người.",
        "uu-diem": "Nhận thức và trách nhiệm của cấp ủy, chính quyền các cấp được nâng lên; số vụ cháy giảm.",
        "ton-tai-han-che": "Một số đơn vị gửi báo cáo chậm; phương tiện của lực lượng dân phòng còn thiếu.",
        "nguyen-nhan": "Nguồn lực đầu tư hạn chế; ý thức chấp hành quy định của một bộ phận người dân chưa cao.",
        "bai-hoc-kinh-nghiem": "Phát huy vai trò người đứng đầu; kết hợp tuyên truyền với kiểm tra, xử lý vi phạm.",
        "phuong-huong": "Tiếp tục thực hiện Kết luận số 02; đề xuất tổ chức sơ kết cấp tỉnh bằng hình thức "
        "hội nghị trực tuyến kết nối đến các huyện, thị xã, thành phố.",
        "de-xuat-kien-nghi": "Đề nghị Thường trực Tỉnh ủy cho ý kiến về hình thức sơ kết cấp tỉnh.",
    }
    lines = [
        "---",
        f"don_vi: {unit.id}",
        "so_hieu: DT-BC/TU",
        f"ngay: {signed.isoformat()}",
        "nguoi_ky: Nguyễn Hữu Phúc",
        "chuc_vu: Bí thư Đảng ủy Công an tỉnh",
        "tieu_de: Dự thảo báo cáo sơ kết của Ban Thường vụ Tỉnh ủy",
        "so_lieu:",
        *(f"  {k}: {x}" for k, x in totals.items()),
        "---",
        "",
        "# DỰ THẢO BÁO CÁO sơ kết 01 năm thực hiện Kết luận số 02-KL/TW và Kế hoạch số 57-KH/TU",
        "",
    ]
    for sec in campaign.outline:
        lines += [f"## {sec.heading}", ""]
        for sub in sec.sections or [sec]:
            if sub is not sec:
                lines += [f"### {sub.heading}", ""]
            lines += [body.get(sub.id, "Không có."), ""]
    return "\n".join(lines)


def appraisal_report(unit: Unit, signed: date) -> str:
    """Stage 3: the appraisal of the draft; free-form (the stage has no outline)."""
    return "\n".join(
        [
            "---",
            f"don_vi: {unit.id}",
            "so_hieu: 112-BC/BNCTU",
            f"ngay: {signed.isoformat()}",
            "nguoi_ky: Lê Văn Sơn",
            "chuc_vu: Trưởng Ban Nội chính Tỉnh ủy",
            "tieu_de: Thẩm định dự thảo báo cáo sơ kết Kết luận số 02-KL/TW",
            "---",
            "",
            "# BÁO CÁO THẨM ĐỊNH",
            "",
            "## 1. Về bố cục, thể thức",
            "",
            "Dự thảo được trình bày đúng thể thức theo Hướng dẫn số 36-HD/VPTW; bố cục theo đề cương.",
            "",
            "## 2. Về nội dung",
            "",
            "- Số liệu tổng hợp khớp với báo cáo của các đơn vị đã gửi.",
            "- Đề nghị bổ sung đánh giá về các đơn vị chưa gửi báo cáo và nêu rõ nguyên nhân.",
            "- Phần phương hướng cần cụ thể hơn về kinh phí đầu tư phương tiện.",
            "",
            "## 3. Ý kiến của các đồng chí Ủy viên Ban Thường vụ",
            "",
            "Đã gửi xin ý kiến 15 đồng chí; 13 ý kiến thống nhất, 02 ý kiến đề nghị chỉnh sửa câu chữ.",
            "",
            "## 4. Kết luận",
            "",
            "Ban Nội chính Tỉnh ủy thống nhất trình Thường trực Tỉnh ủy dự thảo sau khi tiếp thu, chỉnh sửa.",
            "",
        ]
    )
