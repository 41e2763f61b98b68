"""The grammar for who is responsible (obligations.importers.responsibility), phrase by phrase,
then whole mini-documents through parse_text. Phrases are written the way 分工方案 write them."""

import pytest

from obligations.importers import parse_text
from obligations.importers.responsibility import measure_clauses, read_clause, split_names


def roles(text, **kwargs):
    reading = read_clause(text, **kwargs)
    assert reading is not None, text
    return (
        [u.name for u in reading.units if u.role == "lead"],
        [u.name for u in reading.units if u.role == "support"],
    )


def flags_of(text, **kwargs):
    return [f.kind for f in read_clause(text, **kwargs).flags]


# ------------------------------------------------------------ labelled clauses


@pytest.mark.parametrize(
    "clause, lead, support",
    [
        ("牵头单位：县乡村振兴局；配合单位：县财政局、各乡镇人民政府",
         ["县乡村振兴局"], ["县财政局", "各乡镇人民政府"]),
        ("配合单位：县财政局；牵头单位：县乡村振兴局", ["县乡村振兴局"], ["县财政局"]),
        ("牵头单位:县发改局;配合单位:县财政局,县自然资源局", ["县发改局"], ["县财政局", "县自然资源局"]),
        ("牵头单位：县发改局，配合单位：县财政局", ["县发改局"], ["县财政局"]),
        ("牵头单位：县发改局 配合单位：县财政局", ["县发改局"], ["县财政局"]),
        ("牵头部门：市教育局；配合部门：市财政局、市人社局", ["市教育局"], ["市财政局", "市人社局"]),
        ("责任部门：区卫健局；协同单位：区医保局", ["区卫健局"], ["区医保局"]),
        ("主责单位：县水务局；参与单位：各乡镇", ["县水务局"], ["各乡（镇）"]),
        ("主办单位：市住建局；协办单位：市自然资源局", ["市住建局"], ["市自然资源局"]),
        ("承办单位：县司法局", ["县司法局"], []),
        ("责任单位：市民政局、市残联、市妇联", ["市民政局", "市残联", "市妇联"], []),
        ("责任单位：县发改局（牵头）、县财政局、县自然资源局", ["县发改局"], ["县财政局", "县自然资源局"]),
        ("责任单位：县农业农村局牵头，县商务局配合", ["县农业农村局"], ["县商务局"]),
        ("责任单位：各成员单位", ["各成员单位"], []),
        ("责任单位：市直相关单位、各区、县级市", ["市直相关单位", "各区、县级市"], []),
        ("责任单位：各市（州）、县财政局", ["各市（州）、县财政局"], []),
        ("【牵头单位】县农业农村局【配合单位】县财政局、县商务局", ["县农业农村局"], ["县财政局", "县商务局"]),
        ("牵头单位：县农业农村局  配合单位：县财政局、县乡村振兴局  完成时限：2021年12月",
         ["县农业农村局"], ["县财政局", "县乡村振兴局"]),
        ("责任单位：县发改局、县财政局（配合）", ["县发改局"], ["县财政局"]),
        ("责任单位：县发改局、县财政局（按职责分工负责）", ["县发改局", "县财政局"], []),
        ("责任单位：县教体局、县卫健局按职责分工负责", ["县教体局", "县卫健局"], []),
    ],
)
def test_labelled_clause_gives_lead_and_support(clause, lead, support):
    assert roles(clause) == (lead, support)


def test_labelled_clause_in_half_width_brackets_inside_measure_text():
    clauses = measure_clauses("加快冷链物流建设。(牵头单位:县商务局;配合单位:县农业农村局)")
    assert [(c.reading.units[0].name, c.reading.units[1].role) for c in clauses] == [("县商务局", "support")]


def test_leaders_persons_and_deadline_labels_are_read_beside_units():
    reading = read_clause(
        "责任领导：张建国；牵头单位：县民政局；配合单位：县财政局；责任人：李明；完成时限：2022年6月底前"
    )
    assert reading.leaders == ["张建国"]
    assert reading.persons == ["李明"]
    assert reading.deadline_text == "2022年6月底前"
    assert [u.name for u in reading.units] == ["县民政局", "县财政局"]


@pytest.mark.parametrize("label", ["完成时限", "完成时间", "时间节点", "进度安排"])
def test_every_deadline_label_gives_the_deadline_as_written(label):
    assert read_clause(f"责任单位：县交通运输局；{label}：2023年底前").deadline_text == "2023年底前"


@pytest.mark.parametrize("label", ["责任领导", "分管领导", "牵头领导"])
def test_every_leader_label_gives_leaders(label):
    assert read_clause(f"{label}：王志强 刘芳；责任单位：县委组织部").leaders == ["王志强", "刘芳"]


def test_space_between_units_in_a_labelled_list_separates_them():
    assert roles("责任单位：县发改局 县财政局") == (["县发改局", "县财政局"], [])


def test_verb_phrase_in_a_labelled_list_is_not_a_unit_and_is_flagged():
    reading = read_clause("责任单位：县农业农村局，加强统筹协调推进落实工作")
    assert [u.name for u in reading.units] == ["县农业农村局"]
    assert [f.kind for f in reading.flags] == ["ambiguous_units"]


# ------------------------------------------------------------ role words


@pytest.mark.parametrize(
    "clause, lead, support",
    [
        ("由县农业农村局牵头，县商务局、县财政局配合", ["县农业农村局"], ["县商务局", "县财政局"]),
        ("县农业农村局牵头，县商务局配合", ["县农业农村局"], ["县商务局"]),
        ("县农业农村局负责，县财政局、县科技局参与", ["县农业农村局"], ["县财政局", "县科技局"]),
        ("县农业农村局会同县财政局负责", ["县农业农村局"], ["县财政局"]),
        ("市发展改革委会同市财政局、市自然资源局负责", ["市发展改革委"], ["市财政局", "市自然资源局"]),
        ("工业和信息化部、发展改革委等负责", ["工业和信息化部", "发展改革委"], []),
        ("商务部、农业农村部等和各省级人民政府负责", ["商务部", "农业农村部", "各省级人民政府"], []),
        ("各乡镇人民政府具体落实", ["各乡镇人民政府"], []),
        ("农业农村处、预算处共同牵头，综合处参与，各市（州）、县财政局",
         ["农业农村处", "预算处", "各市（州）、县财政局"], ["综合处"]),
        ("社会保障处、法规税政处分别负责", ["社会保障处", "法规税政处"], []),
        ("由县政府办牵头抓好落实", ["县政府办"], []),
        ("由县农业农村局牵头，会同县商务局、县财政局组织实施", ["县农业农村局"], ["县商务局", "县财政局"]),
        ("住房和城乡建设部、人力资源社会保障部等按职责分工负责", ["住房和城乡建设部", "人力资源社会保障部"], []),
        ("各有关单位按职责分工负责", ["各有关单位"], []),
        ("县卫健局负责，县医保局协助", ["县卫健局"], ["县医保局"]),
        ("国家发展改革委牵头，财政部、自然资源部等按职责分工负责", ["国家发展改革委"], ["财政部", "自然资源部"]),
    ],
)
def test_role_words_give_lead_and_support(clause, lead, support):
    assert roles(clause) == (lead, support)


def test_role_wording_is_kept_as_written():
    reading = read_clause("农业农村处、预算处共同牵头，综合处参与")
    assert [u.wording for u in reading.units] == ["共同牵头", "共同牵头", "参与"]


def test_duty_by_division_of_labour_without_a_unit_is_flagged_not_guessed():
    reading = read_clause("按职责分工负责")
    assert reading.units == []
    assert [f.kind for f in reading.flags] == ["ambiguous_units"]


def test_same_unit_as_lead_and_support_is_flagged():
    assert flags_of("牵头单位：县财政局；配合单位：县财政局、县审计局") == ["ambiguous_units"]


@pytest.mark.parametrize("not_a_clause", ["含技工院校", "2021年底前完成", "所、站", "即垃圾乱丢乱扔"])
def test_brackets_that_name_no_unit_are_not_clauses(not_a_clause):
    assert read_clause(not_a_clause) is None


# ------------------------------------------------------------ conventions


def test_first_listed_convention_stated_in_the_clause_applies_to_it():
    assert roles("工业和信息化部、发展改革委、商务部等负责。列第一位者为牵头单位，下同") == (
        ["工业和信息化部"],
        ["发展改革委", "商务部"],
    )


@pytest.mark.parametrize(
    "clause, lead, support",
    [
        ("教育部、人力资源社会保障部负责", ["教育部"], ["人力资源社会保障部"]),
        ("责任单位：县发改局、县财政局、县统计局", ["县发改局"], ["县财政局", "县统计局"]),
        ("农业农村部、国家乡村振兴局等和各省级人民政府负责", ["农业农村部", "各省级人民政府"], ["国家乡村振兴局"]),
        # explicit roles are not overridden by the convention
        ("牵头单位：县发改局、县财政局", ["县发改局", "县财政局"], []),
        ("县民政局牵头，县财政局配合", ["县民政局"], ["县财政局"]),
        ("县民政局、县财政局共同牵头", ["县民政局", "县财政局"], []),
    ],
)
def test_first_listed_convention_in_force(clause, lead, support):
    assert roles(clause, first_leads=True) == (lead, support)


# ------------------------------------------------------------ names


@pytest.mark.parametrize(
    "written, names",
    [
        ("教体局、公安局，各乡（镇）", ["教体局", "公安局", "各乡（镇）"]),
        ("各区、县级市", ["各区、县级市"]),
        ("各市、县（区）人民政府", ["各市、县（区）人民政府"]),
        ("县农业农村局等部门", ["县农业农村局"]),
        ("市财政局等原市脱贫攻坚领导小组成员单位", ["市财政局", "原市脱贫攻坚领导小组成员单位"]),
        ("工业和信息化部、住房和城乡建设部", ["工业和信息化部", "住房和城乡建设部"]),
        ("各乡镇、县直各部门", ["各乡（镇）", "县直各部门"]),
    ],
)
def test_unit_lists_split_as_a_reader_would(written, names):
    assert split_names(written) == names


# ------------------------------------------------------------ running text


def test_running_text_sentence_names_lead_and_support():
    clauses = measure_clauses("加快发展特色产业，培育龙头企业。由县农业农村局牵头，县商务局、县财政局配合。")
    assert [u.name for u in clauses[0].reading.units] == ["县农业农村局", "县商务局", "县财政局"]
    assert clauses[0].text == "加快发展特色产业，培育龙头企业"


def test_prose_where_a_unit_does_something_is_not_a_clause():
    assert measure_clauses("市卫生健康委负责防范因病返贫致贫风险。市教育局继续落实控辍保学政策。") == []


def test_bracket_in_mid_sentence_without_role_word_is_not_a_clause():
    assert measure_clauses("推进农村特困人员供养服务设施（敬老院）改造提升工程。") == []


def test_units_at_the_end_of_each_sub_item_belong_to_that_sub_item():
    clauses = measure_clauses(
        "一是完善监测机制（责任单位：县乡村振兴局）；二是落实帮扶措施（责任单位：县民政局、县医保局）。"
    )
    assert [(c.text, [u.name for u in c.reading.units]) for c in clauses] == [
        ("一是完善监测机制", ["县乡村振兴局"]),
        ("二是落实帮扶措施", ["县民政局", "县医保局"]),
    ]


# ------------------------------------------------------------ whole documents


def measures(text):
    doc = parse_text(text, source_name="测试.txt")
    return {m.code: (m.lead_units, m.supporting_units) for m in doc.measures}, doc


COUNTY_PLAN = """XX县人民政府办公室关于印发XX县巩固拓展脱贫攻坚成果实施方案的通知
龙政办发〔2021〕18号
一、重点任务
（一）健全防止返贫动态监测机制。对脱贫不稳定户开展定期检查、动态管理。（牵头单位：县乡村振兴局；配合单位：县财政局、各乡镇人民政府）
（二）发展特色产业。培育龙头企业。由县农业农村局牵头，县商务局、县财政局配合。
（三）稳定脱贫人口就业。开发公益性岗位。
牵头单位：县人社局
配合单位：县财政局、
各乡镇人民政府
完成时限：2021年12月底前
（四）做好社会救助兜底保障。落实低保政策。
二、保障措施
（一）加强组织领导。各乡镇人民政府具体落实。
"""


def test_county_plan_reads_every_shape_of_clause():
    found, doc = measures(COUNTY_PLAN)
    assert found == {
        "一.(一)": (["县乡村振兴局"], ["县财政局", "各乡镇人民政府"]),
        "一.(二)": (["县农业农村局"], ["县商务局", "县财政局"]),
        "一.(三)": (["县人社局"], ["县财政局", "各乡镇人民政府"]),
        "一.(四)": ([], []),
        "二.(一)": (["各乡镇人民政府"], []),
    }
    third = next(m for m in doc.measures if m.code == "一.(三)")
    assert third.deadline_text == "2021年12月底前"
    fourth = next(m for m in doc.measures if m.code == "一.(四)")
    assert [f.kind for f in fourth.flags] == ["no_lead_unit"]


NATIONAL_OPINION = """国务院办公厅关于加快发展农村寄递物流的意见
国办发〔2021〕29号
一、重点任务
（一）强化农村邮政体系作用。推动邮政网点改造。（国家邮政局、交通运输部等负责。列第一位者为牵头单位，下同）
（二）健全末端共同配送体系。整合县域快递资源。（商务部、国家邮政局、供销合作总社负责）
（三）完善农产品上行发展机制。支持冷链物流发展。（农业农村部、商务部等和各省级人民政府负责）
（四）加强政策支持。（各有关部门按职责分工负责）
"""


def test_national_document_first_listed_convention_governs_following_clauses():
    found, doc = measures(NATIONAL_OPINION)
    assert found["一.(一)"] == (["国家邮政局"], ["交通运输部"])
    assert found["一.(二)"] == (["商务部"], ["国家邮政局", "供销合作总社"])
    assert found["一.(三)"] == (["农业农村部", "各省级人民政府"], ["商务部"])
    assert found["一.(四)"] == (["各有关部门"], [])


def test_convention_stated_in_the_preamble_governs_the_measures():
    text = (
        "某市关于印发重点任务分工方案的通知\n各项任务中排在第一位的为牵头单位，其他为配合单位。\n"
        "一、加快乡村建设。推进农村公路建设。（市交通局、市财政局）\n"
    )
    found, _ = measures(text)
    assert found["一"] == (["市交通局"], ["市财政局"])


def test_units_at_the_end_of_a_heading_go_to_its_measures_without_their_own():
    text = (
        "某县关于印发乡村振兴实施方案的通知\n一、主要任务\n"
        "（一）推进产业振兴（牵头单位：县农业农村局；配合单位：县财政局）\n"
        "1.发展特色种植。扩大种植规模。\n"
        "2.培育龙头企业。壮大经营主体。（责任单位：县工信局）\n"
    )
    found, _ = measures(text)
    assert found["一.(一).1"] == (["县农业农村局"], ["县财政局"])
    assert found["一.(一).2"] == (["县工信局"], [])


def test_boxed_labels_on_their_own_lines_after_the_measure():
    text = (
        "某县关于印发工作方案的通知\n一、重点任务\n1.发展特色产业。做强草畜。\n【牵头单位】县农业农村局\n"
        "【配合单位】县财政局\n【完成时限】长期坚持\n"
    )
    found, doc = measures(text)
    assert found["一.1"] == (["县农业农村局"], ["县财政局"])
    assert doc.measures[0].deadline_text == "长期坚持"


def test_measure_whose_clause_is_in_its_one_line_title_keeps_a_clean_title():
    found, doc = measures("某县关于印发工作方案的通知\n一、重点任务\n1.做好宣传工作（牵头单位：县委宣传部）\n")
    assert found["一.1"] == (["县委宣传部"], [])
    assert doc.measures[0].title == "做好宣传工作"


def test_division_of_labour_without_units_in_a_document_is_flagged():
    _, doc = measures("某县关于印发工作方案的通知\n一、加强政策支持。落实各项政策。（按职责分工负责）\n")
    assert {f.kind for f in doc.measures[0].flags} == {"ambiguous_units", "no_lead_unit"}


# ------------------------------------------------------------ level (issue 13 item 8)


def test_unrecognised_issuer_gives_level_unknown_never_empty():
    doc = parse_text("某某协会关于印发工作方案的通知\n一、做好宣传工作。（责任单位：宣传组）\n", source_name="x.txt")
    assert doc.level == "unknown"


def test_api_schema_names_the_unknown_document_level():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    enums = [c.get("enum", []) for c in schema["components"]["schemas"].values()]
    assert any({"central", "county", "unknown"} <= set(e) for e in enums)
    assert not any("" in e and "county" in e for e in enums)


@pytest.mark.django_db
def test_saved_document_with_unrecognised_issuer_is_stored_as_unknown():
    from obligations.models import PolicyDocument
    from obligations.services.documents import save_parsed_document

    parsed = parse_text("某某协会关于印发工作方案的通知\n一、做好宣传工作。（责任单位：宣传组）\n", source_name="x.txt")
    document = save_parsed_document(parsed=parsed)
    assert document.level == PolicyDocument.Level.UNKNOWN
    assert document.get_level_display() == "未识别"


# ------------------------------------------------------------ numbering


def codes(text):
    return [(n.code, n.kind) for n in parse_text(text, source_name="x.txt").nodes]


def test_articles_under_chapters_are_measures():
    text = "某县关于印发管理办法的通知\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二章 职责\n第二条 各乡镇人民政府具体落实。\n"
    assert codes(text) == [
        ("第一章", "group"), ("第一章第一条", "measure"), ("第二章", "group"), ("第二章第二条", "measure"),
    ]


def test_parenthesised_arabic_and_circled_numbers_are_sub_items():
    text = (
        "某县关于印发工作方案的通知\n一、主要任务\n1.发展养殖。\n（1）建设养殖场。（责任单位：县畜牧中心）\n"
        "（2）做好防疫。（责任单位：县动物疫控中心）\n2.稳定就业。（责任单位：县人社局）\n①开发岗位。\n⑵技能培训。\n"
    )
    assert codes(text) == [
        ("一", "group"), ("一.1", "group"), ("一.1.(1)", "measure"), ("一.1.(2)", "measure"),
        ("一.2", "group"), ("一.2.①", "measure"), ("一.2.②", "measure"),
    ]
    found, _ = measures(text)
    assert found["一.1.(2)"] == (["县动物疫控中心"], [])
    assert found["一.2.②"] == (["县人社局"], [])  # the heading's units


def test_arabic_numbers_running_on_across_headings_keep_their_numbers():
    text = (
        "某县关于印发工作方案的通知\n一、主要任务\n（一）产业\n1.种植。（责任单位：县农业农村局）\n"
        "2.养殖。（责任单位：县畜牧中心）\n（二）就业\n3.岗位。（责任单位：县人社局）\n"
    )
    assert [c for c, k in codes(text) if k == "measure"] == ["一.(一).1", "一.(一).2", "一.(二).3"]


def test_prose_duty_in_an_article_is_flagged_for_a_reader():
    text = "某县关于印发管理办法的通知\n第一章 总则\n第一条 县农业农村局负责本办法的组织实施。\n"
    flags = parse_text(text, source_name="x.txt").measures[0].flags
    assert [f.kind for f in flags] == ["ambiguous_units", "no_lead_unit"]


# ------------------------------------------------------------ tables


def table_measures(text):
    doc = parse_text(text, source_name="分工表.txt")
    return [(m.code, m.title, m.lead_units, m.supporting_units, m.deadline_text) for m in doc.measures]


def test_pipe_table_with_task_and_measures_columns_and_a_merged_lead_cell():
    text = (
        "某县巩固拓展脱贫攻坚成果任务分工表\n"
        "| 序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限 |\n|---|---|---|---|---|---|\n"
        "| 1 | 产业发展 | 做强草畜产业。扩大规模。 | 县农业农村局 | 县财政局、各乡镇 | 长期坚持 |\n"
        "| 2 |  | 发展冷链物流。 |  | 县商务局 | 2022年底前 |\n"
        "| 3 | 稳定就业 | 开发公益性岗位。 | 县人社局（牵头）、县乡村振兴局 |  | 2021年12月31日 |\n"
    )
    assert table_measures(text) == [
        ("1", "做强草畜产业", ["县农业农村局"], ["县财政局", "各乡（镇）"], "长期坚持"),
        ("2", "发展冷链物流", ["县农业农村局"], ["县商务局"], "2022年底前"),  # merged 牵头单位
        ("3", "开发公益性岗位", ["县人社局"], ["县乡村振兴局"], "2021年12月31日"),
    ]


def test_space_aligned_table_is_read_by_its_columns():
    text = (
        "某县任务分工表\n"
        "序号    重点任务          牵头单位      配合单位        完成时限\n"
        "1       发展特色产业      县农业农村局  县财政局        长期坚持\n"
        "2       稳定脱贫人口就业  县人社局      县乡村振兴局    2021年底前\n"
    )
    assert table_measures(text) == [
        ("1", "发展特色产业", ["县农业农村局"], ["县财政局"], "长期坚持"),
        ("2", "稳定脱贫人口就业", ["县人社局"], ["县乡村振兴局"], "2021年底前"),
    ]


def test_two_line_header_is_one_header():
    text = (
        "某县任务分工表\n序号\t重点任务\t责任分工\t\t时间节点\n\t\t牵头单位\t配合单位\t\n"
        "1\t发展特色产业\t县农业农村局\t县财政局\t长期坚持\n2\t稳定就业\t县人社局\t县乡村振兴局\t2021年底前\n"
    )
    assert table_measures(text) == [
        ("1", "发展特色产业", ["县农业农村局"], ["县财政局"], "长期坚持"),
        ("2", "稳定就业", ["县人社局"], ["县乡村振兴局"], "2021年底前"),
    ]


def test_row_continued_after_a_page_break_joins_the_row_above():
    text = (
        "某县任务分工表\n序号\t工作任务\t工作措施\t责任单位\t完成时限\n"
        "1\t发展特色产业\t做强草畜产业，\t县农业农村局\t长期坚持\n\t\t扩大种植规模。\t\t\n"
        "2\t稳定就业\t开发岗位。\t县人社局\t2021年底前\n"
    )
    doc = parse_text(text, source_name="分工表.txt")
    assert [m.text for m in doc.measures] == ["做强草畜产业，扩大种植规模。", "开发岗位。"]


def test_division_table_gives_units_to_measures_the_text_leaves_without():
    text = (
        "某县人民政府办公室关于印发某县乡村振兴实施方案的通知\n一、重点任务\n"
        "（一）发展特色产业。做强草畜产业。\n（二）稳定脱贫人口就业。开发公益性岗位。\n附件\n任务分工表\n"
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n1\t发展特色产业\t县农业农村局\t县财政局\t长期坚持\n"
        "2\t稳定脱贫人口就业\t县人社局\t县乡村振兴局\t2021年底前\n"
    )
    assert table_measures(text) == [
        ("一.(一)", "发展特色产业", ["县农业农村局"], ["县财政局"], "长期坚持"),
        ("一.(二)", "稳定脱贫人口就业", ["县人社局"], ["县乡村振兴局"], "2021年底前"),
    ]


# ------------------------------------------------------------ metadata


def metadata_of(head):
    return parse_text(head + "\n一、做好宣传工作。（责任单位：县委宣传部）\n", source_name="x.txt")


@pytest.mark.parametrize(
    "written", ["龙政办发〔2021〕18号", "龙政办发[2021]18号", "龙政办发(2021)18号", "龙政办发【2021】18号",
                "龙政办发［2021］18号", "龙政办发（2021）18号"],
)
def test_doc_number_in_every_bracket_form(written):
    doc = metadata_of(f"XX县人民政府办公室文件\n{written}\nXX县人民政府办公室关于印发XX县工作方案的通知")
    assert doc.doc_number == "龙政办发〔2021〕18号"


def test_doc_number_split_over_two_lines():
    doc = metadata_of("XX县人民政府办公室文件\n龙政办发〔2021〕\n18号\nXX县人民政府办公室关于印发XX县工作方案的通知")
    assert doc.doc_number == "龙政办发〔2021〕18号"


@pytest.mark.parametrize(
    "head",
    ["中共龙江县委办公室 龙江县人民政府办公室关于印发龙江县工作方案的通知",
     "中共龙江县委办公室 龙江县人民政府办公室\n关于印发龙江县工作方案的通知"],
)
def test_two_issuers_on_one_line(head):
    doc = metadata_of(head)
    assert doc.issuer == "中共龙江县委办公室、龙江县人民政府办公室"
    assert doc.level == "county"


@pytest.mark.parametrize(
    "written, iso",
    [("二〇二一年七月十二日", "2021-07-12"), ("二○二一年十二月三十一日", "2021-12-31"), ("2021年7月12日", "2021-07-12")],
)
def test_dates_in_chinese_or_arabic_numerals(written, iso):
    assert metadata_of(f"XX县人民政府关于印发XX县工作方案的通知\n（{written}）").issued_on == iso


def test_closing_date_is_the_issue_date_when_the_head_has_none():
    text = (
        "XX县人民政府关于印发XX县工作方案的通知\n一、做好宣传工作。到2025年全覆盖。（责任单位：县委宣传部）\n"
        "XX县人民政府\n二〇二一年七月十二日\n"
    )
    assert parse_text(text, source_name="x.txt").issued_on == "2021-07-12"


def test_attachments_are_listed_by_title():
    text = (
        "XX县人民政府关于印发XX县工作方案的通知\n一、做好宣传工作。（责任单位：县委宣传部）\n"
        "附件：1.XX县重点任务分工表\n2.《相关名词解释》\n"
    )
    assert parse_text(text, source_name="x.txt").attachments == ["XX县重点任务分工表", "相关名词解释"]


def test_documents_it_implements_in_any_bracket_form():
    doc = metadata_of(
        "XX县人民政府关于印发XX县工作方案的通知\n根据《XX市实施方案》（黑政发[2021]5号）和《XX省实施意见》"
        "（黑发【2021】13号）精神，制定本方案。"
    )
    assert doc.implements == ["黑政发〔2021〕5号", "黑发〔2021〕13号"]


def test_header_notes_and_starred_lead_units_and_the_towns_column():
    text = (
        "类别\t序号\t任务名称\t任务要求及举措\t责任部门(加*号为牵头部门,其余为参与部门)\t责任街镇\t完成时间节点\n"
        "(一)推进示范村建设\t1\t建设示范村\t完成年度示范村建设。\t区农业农村委*\t浦江镇\t10月底\n"
        "\t2\t加强农房建设管理\t落实农房建设监管。\t区建管委*、区农业农村委、区规划资源局\t浦江镇、马桥镇\t\n"
    )
    assert table_measures(text) == [
        ("1", "建设示范村", ["区农业农村委"], ["浦江镇"], "10月底"),
        ("2", "加强农房建设管理", ["区建管委"], ["区农业农村委", "区规划资源局", "浦江镇", "马桥镇"], ""),
    ]


def test_header_note_stating_the_first_listed_convention_applies_to_the_lead_column():
    text = (
        "某市重点任务分工表\n序号\t重点任务\t责任单位（排在第一位的为牵头单位）\t完成时限\n"
        "1\t推进农村公路建设\t市交通局、市财政局、市自然资源局\t2022年底前\n"
    )
    assert table_measures(text) == [
        ("1", "推进农村公路建设", ["市交通局"], ["市财政局", "市自然资源局"], "2022年底前"),
    ]


# ------------------------------------------------------------ a time limit beside the units


def _measures(text):
    head = "某某县人民政府办公室关于印发《某某县重点任务分工方案》的通知\n某政办发〔2022〕3号\n"
    return {m.code: m for m in parse_text(head + text, source_name="t.txt").measures}


def test_a_time_limit_after_the_units_in_brackets_is_the_deadline():
    found = _measures("一、住房保障\n（一）持续开展农村危房改造。（住房城乡建设部、财政部负责，2021年12月底前完成）\n")
    measure = found["一.(一)"]
    assert (measure.lead_units, measure.supporting_units) == (["住房城乡建设部", "财政部"], [])
    assert measure.deadline_text == "2021年12月底前完成"


def test_a_time_limit_closing_a_running_text_sentence_is_the_deadline():
    found = _measures("一、产业\n1.发展特色种养业。县农业农村局牵头，县财政局、县市场监管局配合，"
                      "2022年10月底前完成。\n")
    measure = found["一.1"]
    assert measure.lead_units == ["县农业农村局"]
    assert measure.supporting_units == ["县财政局", "县市场监管局"]
    assert measure.deadline_text == "2022年10月底前完成"


def test_a_bracket_holding_only_a_time_limit_names_no_unit():
    found = _measures("一、产业\n1.发展特色种养业（2022年底前完成）。\n")
    assert found["一.1"].lead_units == []


def test_an_appended_task_table_of_new_tasks_adds_measures_instead_of_flags():
    found = _measures(
        "一、完善监测机制\n（一）开展集中排查。（牵头单位：市乡村振兴局）\n"
        "（二）加强资金保障。市财政局牵头，市乡村振兴局配合。\n"
        "附件：任务分工表\n"
        "序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限\n"
        "1 | 建立监测预警平台 | 市乡村振兴局 | 市大数据中心 | 2023年6月底\n"
        "2 | 开展帮扶成效评估 | 市乡村振兴局 | 市统计局 | 2023年12月底\n")
    assert list(found) == ["一.(一)", "一.(二)", "附件.1", "附件.2"]
    assert found["附件.2"].supporting_units == ["市统计局"]
    assert found["附件.2"].deadline_text == "2023年12月底"
    assert not [f for m in found.values() for f in m.flags if f.kind.startswith("table")]


def test_a_collective_written_with_tortoise_shell_brackets_stays_whole():
    found = _measures("一、保持帮扶政策总体稳定。（省乡村振兴局、省财政厅，各市、县〔区〕人民政府按职责分工负责）\n")
    assert found["一"].lead_units == ["省乡村振兴局", "省财政厅", "各市、县（区）人民政府"]


# ------------------------------------------------------------ a named lead beside 责任单位


@pytest.mark.parametrize(
    "clause, lead, support",
    [
        # 牵头单位 names the lead; the 责任单位 beside it share the work
        ("牵头单位：县商务局；责任单位：县市场监管局，各乡镇", ["县商务局"], ["县市场监管局", "各乡（镇）"]),
        ("责任部门：市教育局、市人社局；牵头部门：市教育局", ["市教育局"], ["市人社局"]),
        ("主责单位：区水务局；责任单位：各街道", ["区水务局"], ["各街道"]),
        # alone, 责任单位 leads
        ("责任单位：县商务局、县市场监管局", ["县商务局", "县市场监管局"], []),
    ],
)
def test_generic_responsible_units_support_beside_a_named_lead(clause, lead, support):
    assert roles(clause) == (lead, support)


def test_lead_and_responsible_unit_lines_after_a_measure():
    found = _measures(
        "一、主要目标\n1.城镇新增就业3000人以上。\n牵头单位：县人社局\n责任单位：各乡镇，县工业园区管委会\n"
    )
    assert found["一.1"].lead_units == ["县人社局"]
    assert found["一.1"].supporting_units == ["各乡（镇）", "县工业园区管委会"]


@pytest.mark.parametrize(
    "clause, lead, support, leaders",
    [
        # labels are composed: a role word, an optional 责任, and 单位/部门/领导
        ("牵头责任单位：市交通局；协同责任单位：市财政局、市公安局", ["市交通局"], ["市财政局", "市公安局"], []),
        ("牵头负责领导：王某某；牵头责任单位：市交通局", ["市交通局"], [], ["王某某"]),
        ("主办部门：市住建局；协作部门：市城管局", ["市住建局"], ["市城管局"], []),
    ],
)
def test_composed_role_labels(clause, lead, support, leaders):
    assert roles(clause) == (lead, support)
    assert read_clause(clause).leaders == leaders


# ------------------------------------------------------------ numbering: other full stops, running numbers


def test_item_numbers_written_with_a_small_full_stop():
    text = ("某省重点工作责任分解\n一、主要目标\n1﹒粮食产量稳定在600亿斤以上。\n牵头责任单位：省农业农村厅。\n"
            "2﹒城镇新增就业60万人。\n牵头责任单位：省人力资源社会保障厅。\n")
    found, _ = measures(text)
    assert found == {"一.1": (["省农业农村厅"], []), "一.2": (["省人力资源社会保障厅"], [])}


def test_item_number_followed_by_digits_when_it_continues_the_sequence():
    text = (
        "某市人才工程实施意见\n一、重点项目\n1.青年英才项目。（牵头单位：市人社局）\n"
        "2.365工匠培养项目。每年培养工匠365名。（牵头单位：市总工会）\n"
        "3.科技人才项目。（牵头单位：市科技局）\n"
    )
    found, doc = measures(text)
    assert list(found) == ["一.1", "一.2", "一.3"]
    assert found["一.2"] == (["市总工会"], [])
    assert next(m for m in doc.measures if m.code == "一.2").title == "365工匠培养项目"


def test_a_decimal_at_the_start_of_a_line_out_of_sequence_is_text():
    text = (
        "某市人才工程实施意见\n一、重点项目\n1.青年英才项目。全年引进人才\n"
        "5.5万人，其中博士200名。（牵头单位：市人社局）\n"
    )
    assert [c for c, _ in codes(text)] == ["一", "一.1"]


def test_a_labelled_clause_in_square_brackets_around_units_with_round_ones():
    found, doc = measures(
        "某县重点工作责任分解\n一、主要目标\n（一）城镇新增就业2000人。[牵头单位:县人社局(县就业局);责任单位:各镇人民政府]\n"
        "（二）做好宣传工作［牵头单位：县委宣传部］\n（三）引用文件[2021]不是责任分工。（牵头单位：县政府办）\n"
    )
    assert found["一.(一)"] == (["县人社局（县就业局）"], ["各镇人民政府"])
    assert found["一.(二)"] == (["县委宣传部"], [])
    assert next(m for m in doc.measures if m.code == "一.(二)").title == "做好宣传工作"
    assert found["一.(三)"] == (["县政府办"], [])


def test_table_header_cell_with_a_year_names_its_column():
    text = (
        "某区政府工作报告目标任务分解表\n"
        "序号\t2023年预期目标\t责任单位\t备注\n"
        "1\t地区生产总值增长6%左右\t区发展改革委\t\n"
        "2\t城镇调查失业率控制在5.5%以内\t区人力社保局\t\n"
    )
    assert table_measures(text) == [
        ("1", "地区生产总值增长6%左右", ["区发展改革委"], [], ""),
        ("2", "城镇调查失业率控制在5.5%以内", ["区人力社保局"], [], ""),
    ]


def test_table_with_lead_and_responsible_unit_columns():
    text = (
        "某县重点工作任务分解表\n"
        "序号 | 工作任务 | 责任单位 | 牵头单位 | 完成时限\n"
        "1 | 新建高标准农田1万亩 | 各乡镇，县财政局 | 县农业农村局 | 2023年底\n"
    )
    assert table_measures(text) == [
        ("1", "新建高标准农田1万亩", ["县农业农村局"], ["各乡（镇）", "县财政局"], "2023年底"),
    ]


@pytest.mark.parametrize(
    "written, names",
    [
        # the owner written once covers the ownerless collective after it
        ("市政府各部门、各直属机构", ["市政府各部门、各直属机构"]),
        ("县直各部门、各直属单位，各乡镇", ["县直各部门、各直属单位", "各乡（镇）"]),
        # a collective of places has no owner to share
        ("区直各部门、各街道", ["区直各部门", "各街道"]),
    ],
)
def test_an_ownerless_collective_shares_the_owner_before_it(written, names):
    assert split_names(written) == names


def test_a_dated_time_limit_in_the_text_is_the_deadline_when_no_clause_gives_one():
    found = _measures(
        "一、保障措施\n（一）健全工作机制。各牵头单位要于2023年6月底前制定实施细则，各县区要在2023年底前"
        "出台配套措施。（牵头单位：市人社局）\n"
        "（二）加强督促检查。到2025年建成督查体系。（牵头单位：市政府督查室；完成时限：长期坚持）\n"
    )
    assert found["一.(一)"].deadline_text == "2023年6月底前；2023年底前"
    assert found["一.(二)"].deadline_text == "长期坚持"  # the label's, not a target year


@pytest.mark.parametrize(
    "clause, lead, support",
    [
        # after a comma, governments of a level are later-listed units like any other
        ("国家林草局、财政部，各省级人民政府按职责分工负责", ["国家林草局"], ["财政部", "各省级人民政府"]),
        ("省民政厅，各市、县〔区〕人民政府按职责分工负责", ["省民政厅"], ["各市、县（区）人民政府"]),
        # joined by 和/及 they are a second subject and lead in their own area
        ("国家林草局、财政部等和各省级人民政府负责", ["国家林草局", "各省级人民政府"], ["财政部"]),
    ],
)
def test_first_listed_convention_and_governments_after_a_comma(clause, lead, support):
    assert roles(clause, first_leads=True) == (lead, support)


def test_half_bracketed_arabic_numbers_are_items():
    text = ("某县重点工作分解\n一、主要目标\n1）新增就业1000人。（牵头单位：县人社局）\n"
            "2）新建农田2万亩。（牵头单位：县农业农村局）\n")
    found, _ = measures(text)
    assert found == {"一.(1)": (["县人社局"], []), "一.(2)": (["县农业农村局"], [])}


def test_a_targets_part_whose_items_name_a_lead_is_read_not_skipped():
    text = ("某县重点工作分解\n一、主要目标\n1.新增就业1000人。（牵头部门：县人社局）\n"
            "二、重点任务\n2.新建农田2万亩。（牵头部门：县农业农村局）\n")
    found, _ = measures(text)
    assert found == {"一.1": (["县人社局"], []), "二.2": (["县农业农村局"], [])}


def test_a_labelled_clause_in_lenticular_brackets():
    found, _ = measures("某县重点工作责任分解\n一、主要目标\n（一）新建农田2万亩。【牵头单位：县农业农村局；责任单位：各镇】\n")
    assert found["一.(一)"] == (["县农业农村局"], ["各镇"])
