"""The table of codes, the contract of every finding: code, severity, title, how to fix.

``docs/ma-loi.md`` is generated from it (``baocao codes --write``) and a test keeps the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    fix: str


E, W = Severity.ERROR, Severity.WARNING

# code: (severity, title, how to fix). Ranges: C1 campaign file, F2 files and encoding,
# M3 front matter, S4 sections, N5 statistics, H6 history, P7 pull requests, D8 Word files.
_TABLE: tuple[tuple[str, Severity, str, str], ...] = (
    # --- C1: campaign.yml -----------------------------------------------------------
    ("C101", E, "Không đọc được campaign.yml", "Sửa cú pháp YAML ở dòng được chỉ ra."),
    (
        "C102",
        E,
        "Khóa hoặc giá trị không hợp lệ trong campaign.yml",
        "Sửa khóa/giá trị theo tài liệu tham chiếu campaign.yml (baocao schema).",
    ),
    ("C103", E, "Mã trùng lặp trong campaign.yml", "Mỗi mã nhóm, đơn vị, mục, chỉ tiêu, giai đoạn phải duy nhất."),
    ("C104", E, "Tham chiếu tới mã không tồn tại", "Dùng mã nhóm/đơn vị đã khai báo trong groups/units."),
    (
        "C105",
        E,
        "Khóa ghi hai lần trong campaign.yml",
        "Xóa một trong hai dòng: khóa ghi sau sẽ xóa mất khóa ghi trước.",
    ),
    (
        "C107",
        E,
        "Tệp khóa hoặc chứng thư khai báo trong campaign.yml không có trong kho",
        "Đặt tệp vào kho (ví dụ trust/) đúng đường dẫn khai báo ở evidence hoặc signed_pdf, hoặc sửa đường dẫn.",
    ),
    (
        "C106",
        E,
        "campaign.yml vượt giới hạn xử lý",
        "Tệp quá lớn hoặc dùng neo YAML (& và *) lồng nhau quá nhiều; ghi thẳng các giá trị.",
    ),
    # --- F2: files ------------------------------------------------------------------
    (
        "F201",
        E,
        "Tệp không được phép trong thư mục báo cáo",
        "Chỉ để tệp báo cáo (.md hoặc .docx) theo tên của giai đoạn, tệp PDF bản ký và ảnh PNG/JPEG.",
    ),
    ("F202", E, "Liên kết tượng trưng (symlink)", "Thay liên kết bằng tệp thật."),
    ("F203", E, "Tệp lớn hơn 5 MB", "Nén hoặc giảm độ phân giải tệp xuống dưới 5 MB."),
    ("F204", E, "Tệp không phải UTF-8", "Lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8)."),
    ("F205", W, "Tệp có BOM", "Không cần sửa; có thể lưu lại dạng UTF-8 không BOM."),
    (
        "F206",
        W,
        "Văn bản ở dạng Unicode tổ hợp (NFD)",
        "Không cần sửa; nên gõ bằng Unicode dựng sẵn (Unikey: Unicode dựng sẵn).",
    ),
    (
        "F207",
        E,
        "Thư mục không thuộc đơn vị nào",
        "Đặt báo cáo vào submissions/<mã đơn vị>/ với mã đơn vị trong campaign.yml.",
    ),
    ("F208", E, "Có mã HTML trong báo cáo", "Bỏ thẻ HTML; dùng cú pháp Markdown (**đậm**, *nghiêng*, bảng |...|)."),
    ("F209", E, "Tệp rỗng", "Soạn nội dung báo cáo theo đề cương (baocao new)."),
    (
        "F210",
        E,
        "Hai tệp báo cáo cho cùng một giai đoạn",
        "Mỗi giai đoạn chỉ giữ một tệp báo cáo (bao-cao.md hoặc bao-cao.docx); xóa tệp thừa.",
    ),
    ("F211", E, "Không tìm thấy tệp", "Kiểm tra lại đường dẫn đưa cho baocao check."),
    (
        "F212",
        E,
        "Tên tệp kèm theo có ký tự không được phép",
        "Đổi tên tệp chỉ gồm chữ, số, dấu cách và các dấu - _ . , ( ) +; ví dụ bao-cao-ky.pdf.",
    ),
    (
        "F213",
        W,
        "Có ký tự điều khiển trong báo cáo",
        "Không cần sửa: các ký tự này (thường do sao chép từ phần mềm khác) đã được bỏ khi hiển thị và xuất Word.",
    ),
    (
        "F214",
        E,
        "Tệp vượt giới hạn xử lý",
        "Tệp quá phức tạp để đọc an toàn (xem giới hạn trong bảng mã); soạn lại tệp đơn giản hơn.",
    ),
    ("F215", W, "Bảng dán có ký tự Tab", "Viết bảng kiểu Markdown: | ô | ô |, dòng thứ hai |---|---|."),
    ("F216", W, "Chữ Việt bảng mã cũ (TCVN3, VNI)", "Chuyển mã sang Unicode bằng Unikey (Ctrl+Shift+F6), rồi dán lại."),
    # --- M3: front matter -----------------------------------------------------------
    (
        "M301",
        E,
        "Thiếu phần thông tin đầu tệp (front matter)",
        "Mở đầu tệp bằng dòng ---, các dòng khóa: giá trị, rồi dòng --- (xem baocao new).",
    ),
    ("M302", E, "Phần thông tin đầu tệp sai cú pháp YAML", "Sửa dòng được chỉ ra: mỗi dòng dạng khóa: giá trị."),
    ("M303", E, "Thiếu khóa bắt buộc", "Thêm khóa còn thiếu vào phần thông tin đầu tệp."),
    ("M304", W, "Khóa không xác định", "Xóa khóa hoặc sửa chính tả (khóa viết không dấu)."),
    ("M305", E, "Mã đơn vị không khớp thư mục", "don_vi phải đúng bằng tên thư mục chứa báo cáo."),
    ("M306", E, "Đơn vị không có trong đợt báo cáo", "Dùng mã đơn vị trong campaign.yml."),
    ("M307", E, "Đơn vị không phải nộp ở giai đoạn này", "Kiểm tra tên tệp: mỗi giai đoạn có tên tệp riêng."),
    ("M308", E, "Ngày không hợp lệ", "Ghi ngày dạng 2022-06-15 (năm-tháng-ngày)."),
    ("M309", E, "Ngày ký sau ngày nộp", "Sửa ngày ký cho đúng: không sau ngày báo cáo được đưa lên nhánh chính."),
    ("M310", E, "Giá trị phải là chuỗi văn bản", "Ghi giá trị là văn bản, ví dụ so_hieu: 45-BC/HU."),
    (
        "M311",
        E,
        "Phần thông tin đầu tệp dùng neo YAML (& và *)",
        "Ghi thẳng từng giá trị; không dùng ký hiệu & và * của YAML trong phần thông tin đầu tệp.",
    ),
    # --- S4: sections ---------------------------------------------------------------
    ("S401", E, "Thiếu mục bắt buộc của đề cương", "Thêm tiêu đề mục (## ...) đúng như đề cương."),
    ("S402", E, "Mục sai thứ tự", "Sắp xếp các mục theo đúng thứ tự của đề cương."),
    ("S403", E, "Mục để trống", "Viết nội dung cho mục; nếu không có, ghi “Không có”."),
    (
        "S404",
        W,
        "Tiêu đề không có trong đề cương",
        "Sửa tiêu đề cho khớp đề cương, hoặc dùng cấp tiêu đề sâu hơn cho ý nhỏ.",
    ),
    ("S405", E, "Mục bị lặp", "Gộp nội dung hai mục trùng tên làm một."),
    ("S406", E, "Cấp tiêu đề sai", "Mục con phải có nhiều dấu # hơn mục cha (## cho I, ### cho 1)."),
    # --- N5: statistics -------------------------------------------------------------
    ("N501", E, "Thiếu phần số liệu (so_lieu)", "Thêm khóa so_lieu với các chỉ tiêu của phụ lục."),
    ("N502", W, "Chỉ tiêu không xác định", "Xóa hoặc sửa mã chỉ tiêu theo phụ lục số liệu."),
    ("N503", E, "Thiếu chỉ tiêu bắt buộc", "Thêm chỉ tiêu còn thiếu; nếu không phát sinh, ghi 0."),
    ("N504", E, "Số liệu không phải là số", "Chỉ ghi con số, không kèm đơn vị: 12, không phải “12 vụ”."),
    ("N505", E, "Số liệu âm", "Số liệu phải lớn hơn hoặc bằng 0."),
    ("N506", E, "Chỉ tiêu phải là số nguyên", "Ghi số nguyên, không có phần thập phân."),
    (
        "N507",
        E,
        "Dấu phân cách hàng nghìn gây nhầm lẫn",
        "Ghi số không có dấu chấm hàng nghìn: 1000, không phải 1.000; số thập phân dùng dấu chấm: 12.5.",
    ),
    (
        "N508",
        E,
        "so_lieu phải là danh sách chỉ tiêu: giá trị",
        "Ghi mỗi chỉ tiêu trên một dòng, thụt vào: so_vu_chay: 12.",
    ),
    ("N509", E, "Số liệu quá lớn", "Số liệu không quá 15 chữ số; kiểm tra lại con số (có thể gõ thừa chữ số)."),
    (
        "N510",
        W,
        "Mọi chỉ tiêu đều bằng 0",
        "Ghi số liệu thật nếu có phát sinh; đúng là không phát sinh thì giữ nguyên.",
    ),
    # --- H6: history ----------------------------------------------------------------
    (
        "H600",
        E,
        "Kho là bản sao nông (shallow clone)",
        "Lấy đủ lịch sử: git fetch --unshallow (GitHub Actions: actions/checkout với fetch-depth: 0).",
    ),
    (
        "H601",
        W,
        "Giờ commit sớm hơn commit trước nó trên nhánh chính",
        "Không cần sửa: commit được tính là vào nhánh chính không sớm hơn commit trước nó. Chỉ hợp nhất qua "
        "yêu cầu hợp nhất (pull request), không đẩy thẳng; kiểm tra đồng hồ máy đã đẩy commit.",
    ),
    (
        "H602",
        W,
        "Commit đưa báo cáo lên không do danh tính tin cậy tạo",
        "Bật bảo vệ nhánh chính để mọi báo cáo vào qua yêu cầu hợp nhất; kiểm tra trusted_committers.",
    ),
    (
        "H603",
        W,
        "Báo cáo bị xóa khỏi nhánh chính sau khi đã nộp",
        "Xác minh lý do xóa; nếu xóa nhầm, khôi phục báo cáo bằng một yêu cầu hợp nhất.",
    ),
    ("H604", W, "Thư mục không thuộc đơn vị nào", "Chuyển báo cáo vào submissions/<mã đơn vị>/ hoặc xóa thư mục."),
    (
        "H605",
        W,
        "Thẻ hạn (han/<giai đoạn>) không khớp giờ commit",
        "Đối chiếu thẻ hạn với lịch sử nhánh chính; thẻ hạn do CI gắn lúc hết hạn được tin cậy hơn giờ commit.",
    ),
    (
        "H607",
        W,
        "Nhánh chính bị viết lại (force-push) sau khi CI đã ghi nhận",
        "Bật bảo vệ nhánh chính (cấm force-push); đối chiếu các commit bị mất với thẻ chung/ và han/ còn giữ chúng.",
    ),
    (
        "H608",
        W,
        "Giờ commit muộn hơn bằng chứng đã thấy commit đó (hoặc ở tương lai)",
        "Không cần sửa: giờ ghi sai không được tính. Kiểm tra đồng hồ của máy đã tạo commit.",
    ),
    (
        "H609",
        W,
        "Thẻ không được dùng làm bằng chứng",
        "Chỉ CI tạo thẻ chung/ và han/ (baocao witness, baocao tag-deadlines); xóa thẻ do người khác tạo và bảo vệ "
        "các mẫu thẻ này trên máy chủ.",
    ),
    (
        "H610",
        W,
        "Thẻ hạn làm cho thời hạn cũ",
        "Không cần sửa: thời hạn đã đổi; baocao tag-deadlines gắn thẻ mới khi thời hạn mới qua.",
    ),
    (
        "H611",
        W,
        "campaign.yml trên nhánh chính không hợp lệ ở một commit",
        "Sửa campaign.yml (baocao check); trong lúc đó báo cáo được kiểm tra theo bản campaign.yml hợp lệ trước đó.",
    ),
    (
        "H612",
        W,
        "Báo cáo vào nhánh chính sau hạn, giai đoạn không nhận báo cáo muộn",
        "Giai đoạn có late: reject; báo cáo không được tính. Liên hệ văn phòng tổng hợp nếu được gia hạn "
        "(extensions trong campaign.yml).",
    ),
    (
        "H613",
        W,
        "Commit không do máy chủ ký (require_signed)",
        "Chỉ hợp nhất qua yêu cầu hợp nhất trên máy chủ (merge commit hoặc squash); không đẩy thẳng lên nhánh chính.",
    ),
    ("H614", W, "Báo cáo bị thay bằng submodule", "Xóa submodule và đặt lại tệp báo cáo thật vào thư mục của đơn vị."),
    (
        "H606",
        W,
        "Ngày tác giả trước hạn nhưng báo cáo vào nhánh chính sau hạn",
        "Không cần sửa: thời điểm nộp là lúc báo cáo được hợp nhất vào nhánh chính.",
    ),
    # --- P7: pull requests ----------------------------------------------------------
    (
        "P701",
        E,
        "Yêu cầu hợp nhất sửa thư mục của nhiều đơn vị",
        "Mỗi yêu cầu hợp nhất chỉ sửa thư mục submissions/<mã đơn vị>/ của một đơn vị; tách thành nhiều yêu cầu.",
    ),
    (
        "P702",
        E,
        "Người gửi không phải văn thư của đơn vị",
        "Người gửi phải có trong submitters của đơn vị trong campaign.yml (hoặc nhờ văn phòng tổng hợp).",
    ),
    (
        "P703",
        E,
        "Yêu cầu hợp nhất sửa tệp ngoài thư mục báo cáo",
        "Chỉ sửa tệp trong submissions/<mã đơn vị>/; tệp khác do văn phòng tổng hợp (maintainers) sửa.",
    ),
    ("P704", E, "Tệp có quyền thực thi", "Bỏ quyền thực thi: git update-index --chmod=-x <tệp>."),
    ("P705", W, "Báo cáo sẽ nộp muộn", "Hợp nhất càng sớm càng tốt; thời điểm nộp là lúc hợp nhất vào nhánh chính."),
    (
        "P706",
        E,
        "Báo cáo nộp muộn bị từ chối",
        "Giai đoạn này không nhận báo cáo sau hạn (late: reject); liên hệ văn phòng tổng hợp.",
    ),
    ("P707", W, "Sửa báo cáo sau hạn", "Không cần sửa: thời điểm nộp vẫn là lần nộp hợp lệ đầu tiên."),
    ("P708", W, "Yêu cầu hợp nhất xóa báo cáo", "Chỉ xóa báo cáo khi văn phòng tổng hợp yêu cầu."),
    ("P709", W, "Yêu cầu hợp nhất không sửa báo cáo nào", "Thêm hoặc sửa báo cáo trong submissions/<mã đơn vị>/."),
    # P750+: hosting configuration generated from campaign.yml (baocao codeowners).
    (
        "P750",
        E,
        "CODEOWNERS không khớp campaign.yml",
        "Chạy lệnh baocao codeowners rồi commit các tệp CODEOWNERS được sinh lại.",
    ),
    # --- K9: signed PDF originals ------------------------------------------------------
    (
        "K901",
        W,
        "Tệp PDF chưa có chữ ký số",
        "Nộp bản PDF đã ký số (chữ ký số do tổ chức cung cấp dịch vụ chứng thực cấp).",
    ),
    (
        "K902",
        W,
        "Tệp PDF bị sửa sau khi ký (chữ ký không còn toàn vẹn)",
        "Nộp lại đúng tệp PDF đã ký, không mở ra sửa hay lưu lại bằng phần mềm khác sau khi ký.",
    ),
    ("K903", W, "Chữ ký số không hợp lệ", "Ký lại tệp bằng phần mềm ký số rồi nộp lại."),
    (
        "K904",
        W,
        "Chứng thư số không được tin cậy",
        "Ký bằng chứng thư số còn hiệu lực, do tổ chức chứng thực mà văn phòng tổng hợp khai báo (signed_pdf.trust).",
    ),
    (
        "K905",
        W,
        "Tệp PDF được thêm nội dung sau khi ký",
        "Nộp bản PDF đúng như lúc ký; nếu cần sửa, sửa xong rồi ký lại.",
    ),
    (
        "K906",
        W,
        "Người ký số khác người ký ghi trong báo cáo",
        "Kiểm tra nguoi_ky trong báo cáo và người ký số trên tệp PDF.",
    ),
    ("K907", W, "Ngày ký số khác ngày ký ghi trong báo cáo", "Kiểm tra ngay trong báo cáo và ngày ký số trên tệp PDF."),
    (
        "K908",
        W,
        "Dấu thời gian của bản ký sau lúc báo cáo vào nhánh chính",
        "Kiểm tra lại tệp: bản ký số phải có trước khi báo cáo được nộp.",
    ),
    ("K909", W, "Không đọc được tệp PDF", "Xuất lại tệp PDF từ phần mềm ký số rồi nộp lại."),
    (
        "K920",
        E,
        "Giai đoạn yêu cầu bản PDF có chữ ký số hợp lệ",
        "Kèm theo báo cáo một tệp PDF đã ký số hợp lệ (ví dụ bao-cao-ky.pdf) trong thư mục của đơn vị.",
    ),
    # --- D8: Word files -------------------------------------------------------------
    (
        "D801",
        E,
        "Tệp không phải tài liệu Word .docx",
        "Mở tệp bằng Word, chọn Tệp (File) → Lưu thành (Save As) → Tài liệu Word (*.docx), rồi nộp tệp mới.",
    ),
    (
        "D802",
        E,
        "Tệp Word có mật khẩu hoặc là tệp .doc cũ",
        "Gỡ mật khẩu (Tệp → Thông tin → Bảo vệ tài liệu → Mã hóa bằng mật khẩu → xóa mật khẩu) "
        "hoặc lưu lại dạng Tài liệu Word (*.docx).",
    ),
    (
        "D803",
        E,
        "Còn thay đổi được theo dõi chưa chấp nhận",
        "Xem lại (Review) → Chấp nhận (Accept) → Chấp nhận tất cả thay đổi (Accept All Changes), "
        "tắt Theo dõi thay đổi (Track Changes) rồi lưu lại.",
    ),
    (
        "D804",
        W,
        "Còn chú thích (comment) trong tệp",
        "Xem lại (Review) → Xóa (Delete) → Xóa tất cả chú thích trong tài liệu (Delete All Comments), rồi lưu lại.",
    ),
    (
        "D805",
        W,
        "Đoạn đánh số giống tiêu đề mục nhưng không khớp đề cương",
        "Sửa tên mục cho đúng đề cương, hoặc đánh số kiểu khác (a), b), -) nếu đó là ý nhỏ trong mục.",
    ),
    (
        "D806",
        E,
        "Bảng số liệu không đọc được",
        "Trong bảng số liệu, mỗi dòng một chỉ tiêu: cột tên chỉ tiêu đúng như phụ lục, cột số liệu chỉ gõ con số "
        "(1.234 hoặc 12,5), không kèm chữ.",
    ),
    (
        "D807",
        E,
        "Không tìm thấy phần đầu văn bản",
        "Giữ phần đầu theo thể thức văn bản của Đảng: dòng “Số 45-BC/HU” và dòng "
        "“Quảng Ngãi, ngày 15 tháng 6 năm 2022” ở đầu báo cáo.",
    ),
    (
        "D808",
        E,
        "Không tìm thấy bảng số liệu",
        "Thêm bảng phụ lục số liệu (Chèn → Bảng): mỗi dòng một chỉ tiêu, cột đầu là tên chỉ tiêu, cột sau là số.",
    ),
    (
        "D809",
        E,
        "Không tìm thấy khối chữ ký",
        "Cuối báo cáo ghi thẩm quyền ký (T/M BAN THƯỜNG VỤ), chức vụ (BÍ THƯ) và họ tên người ký, mỗi thứ một dòng.",
    ),
    (
        "D810",
        W,
        "Bảng số liệu có nhiều cột số, không rõ cột nào là số liệu báo cáo",
        "Trong Word, đặt tiêu đề cột cần đọc là “Số liệu” hoặc ghi đúng kỳ báo cáo (ví dụ “Năm 2022”); "
        "baocao đọc cột đó, các cột so sánh vẫn giữ được.",
    ),
    # Party document format (Hướng dẫn 36-HD/VPTW): warnings, a report in another layout still counts.
    ("D811", W, "Khổ giấy không phải A4", "Trong Word: Bố cục (Layout) → Kích thước (Size) → A4."),
    ("D812", W, "Lề trang chưa đúng thể thức", "Bố cục (Layout) → Lề (Margins): trên, dưới 2–2,5 cm; trái 3–3,5 cm."),
    ("D813", W, "Phông hoặc cỡ chữ chưa đúng thể thức", "Chọn toàn bộ (Ctrl+A), phông Times New Roman, cỡ chữ 14."),
    ("D814", W, "Thiếu dòng “ĐẢNG CỘNG SẢN VIỆT NAM”", "Giữ phần đầu văn bản theo mẫu của Hướng dẫn 36-HD/VPTW."),
    ("D815", W, "Thiếu “Nơi nhận:”", "Cuối văn bản, bên trái khối chữ ký: “Nơi nhận:”, các nơi nhận và “Lưu VT”."),
)

CODES: dict[str, Code] = {c: Code(c, s, t, f) for c, s, t, f in _TABLE}
