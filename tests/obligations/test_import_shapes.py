"""The importer's reading of the three shapes in the seeds, quirks included (DESIGN.md §3.1)."""


def measure(document, code):
    return next(n for n in document.measures if n.code == code)


def flag_messages(node):
    return [f.message for f in node.flags]


def test_finance_plan_keeps_every_measure_despite_lost_numbers(parsed_seeds):
    doc = parsed_seeds["000"]
    assert doc.doc_number == "青财农字〔2021〕818号"
    assert len(doc.measures) >= 25
    # "（保持财政支持政策的总体稳定。" lost its numeral; it is the first of chapter 二.
    first = measure(doc, "二.(一)")
    assert first.title == "保持财政支持政策的总体稳定"
    assert any("序号缺失" in m for m in flag_messages(first))
    # The explicit （三） that follows keeps its own number.
    assert measure(doc, "二.(三)").title == "脱贫县继续做好涉农资金统筹整合"


def test_finance_plan_reads_role_wording_and_repairs_garbled_city(parsed_seeds):
    first = measure(parsed_seeds["000"], "二.(一)")
    assert first.lead_units == ["农业农村处", "预算处", "各市（州）、县财政局"]
    assert first.supporting_units == [
        "综合处", "经济建设处", "教科文处", "社会保障处", "自然资源和生态环境处",
    ]
    assert [u.wording for u in first.units if u.name == "农业农村处"] == ["共同牵头"]
    # 二.(八) writes the abbreviation 社保处: kept as written, resolved later.
    assert "社保处" in measure(parsed_seeds["000"], "二.(八)").lead_units
    # "分别负责" with units on both sides of a comma: both lead.
    assert measure(parsed_seeds["000"], "一.(一)").lead_units == ["厅各相关处室", "各市（州）、县财政局"]


def test_finance_plan_flags_ocr_garble_in_title(parsed_seeds):
    assert any("ⴱငǃⴱ᭯ᓌ" in f.message for f in parsed_seeds["000"].flags)


def test_provincial_plan_sections_are_the_measures(parsed_seeds):
    doc = parsed_seeds["001"]
    codes = [m.code for m in doc.measures]
    assert len(codes) == 47
    assert codes[0] == "第三章第一节" and codes[-1] == "第十二章第六节"
    assert not any(c.startswith(("第一章", "第二章")) for c in codes)
    # Headings that ran into their first sentence are split using the table of contents.
    collective = measure(doc, "第四章第五节")
    assert collective.title == "培育壮大村级集体经济"
    assert collective.text.startswith("调整完善工作机制")
    assert measure(doc, "第五章第二节").title == "实施紧缺人才引进工程"
    assert all("未明确责任单位" in flag_messages(m) for m in doc.measures)


def test_fujian_opinion_measures_four_to_thirty_one(parsed_seeds):
    doc = parsed_seeds["002"]
    codes = [m.code for m in doc.measures]
    assert codes[0] == "二.(四)" and codes[-1] == "七.(三十一)"
    assert len(codes) == 28
    assert doc.issuer == "中共福建省委、福建省人民政府"
    # The closing exhortation and the repeated heading after 福建日报 are not a measure's text.
    assert "我们要更加紧密地团结" not in measure(doc, "七.(三十一)").text


def test_longde_measures_with_responsibility_lines(parsed_seeds):
    doc = parsed_seeds["003"]
    assert len(doc.measures) == 27
    assert [m.code for m in doc.measures if m.code.startswith("四.(一)")] == ["四.(一).1", "四.(一).2"]
    assert doc.issued_on == "2021-06-02"
    assert "中发〔2020〕30号" in doc.implements
    public = measure(doc, "四.(三)")
    assert public.lead_units == ["教体局", "卫健局", "住建局"]
    assert public.leaders == ["柳春梅"]
    leadership = measure(doc, "六.(一)")
    assert leadership.leaders == ["马金平", "谢国玉"]  # two leaders, not one name
    assert measure(doc, "六.(三)").leaders == ["祁忠"]  # "祁 忠" is one padded name
    # "医保局、\n\n各乡（镇）": a list that continues on the next line.
    assert measure(doc, "二.(三)").supporting_units[-1] == "各乡（镇）"


def test_longde_table_merged_with_disagreements_flagged(parsed_seeds):
    doc = parsed_seeds["003"]
    first = measure(doc, "二.(一)")
    assert first.persons == ["辛学发"]
    assert first.deadline_text == "长期坚持"
    row5 = measure(doc, "二.(五)")
    assert row5.deadline_text == "2021年6月30日完成"
    assert any("第5行配合单位" in m and "审计局" in m for m in flag_messages(row5))
    row16 = measure(doc, "五.(一)")
    assert row16.leaders == ["祁忠"]  # the text wins; the table's 祁志 is flagged, not merged
    assert any("祁志" in m for m in flag_messages(row16))
    assert any("第10–13行" in f.message for f in doc.flags)
    early = measure(doc, "二.(二)")
    assert any("早于文件印发日期" in m for m in flag_messages(early))
    lost = measure(doc, "四.(二)")
    assert lost.persons == [] and any("没有与本措施对应的行" in m for m in flag_messages(lost))


def test_fushun_county_rule_and_multi_clause_measure(parsed_seeds):
    doc = parsed_seeds["004"]
    codes = [m.code for m in doc.measures]
    assert len([c for c in codes if c.startswith("二.")]) == 24
    assert len([c for c in codes if c.startswith("三.")]) == 4
    first = measure(doc, "二.(一).1")
    assert first.lead_units[-1] == "原市脱贫攻坚领导小组成员单位"
    assert "本项及以下各项措施" not in first.lead_units
    # Every measure of 二 is also a duty of 各县区, without the document repeating it.
    assert all(
        [u.name for u in m.units if u.from_rule] == ["各县区"] for m in doc.measures if m.code.startswith("二.")
    )
    infrastructure = measure(doc, "二.(三).5")
    assert [c["lead_units"] for c in infrastructure.clauses] == [
        ["市交通局"],
        ["市商务局", "市邮政管理局", "市通信管理办公室"],
        ["市水务局"],
        ["国网抚顺供电公司"],
        ["市乡村振兴局", "市农业农村局", "市住建局", "市生态环境局"],
    ]
    assert infrastructure.clauses[0]["text"].startswith("大力推进“四好农村路”建设")
    # 二.(一).3 names departments only in its prose: no clause, so no lead unit.
    assert "未明确责任单位" in flag_messages(measure(doc, "二.(一).3"))


def test_a_standalone_responsibility_table_is_a_document(db):
    from obligations.importers import parse_text

    text = (
        "某县巩固拓展脱贫攻坚成果责任清单\n"
        "序号\t主要事项\t具体内容\t主要措施\t责任领导\t牵头单位\t责任人\t配合单位\t完成时间\t备注\n"
        "1\t产业发展\t壮大特色产业\t做强草畜产业。\t张三\t农业农村局\t李四\t财政局、各乡（镇）\t长期坚持\t\n"
        "2\t\t稳定就业\t开发公益性岗位。\t张三\t人社局\t王五\t扶贫办\t2021年12月31日完成\t\n"
    )
    doc = parse_text(text, source_name="清单.txt")
    assert [(m.code, m.title, m.lead_units, m.supporting_units, m.deadline_text) for m in doc.measures] == [
        ("1", "壮大特色产业", ["农业农村局"], ["财政局", "各乡（镇）"], "长期坚持"),
        ("2", "稳定就业", ["人社局"], ["扶贫办"], "2021年12月31日完成"),
    ]
    assert doc.measures[1].parent_code == doc.measures[0].parent_code  # merged 主要事项 cell
