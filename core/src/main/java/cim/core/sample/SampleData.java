package cim.core.sample;

import java.util.List;
import java.util.Map;

/** The vocabulary of generated customers: names, homophones, places, streets, organisation names, channels. */
final class SampleData {
    private SampleData() {
    }

    /** The most common surnames first, so that common names (and so same-name strangers) occur as in life. */
    static final List<String> SURNAMES = List.of("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
            "马", "朱", "胡", "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
            "彭", "曾", "萧", "田", "董", "潘", "袁", "蔡", "蒋", "余", "于", "杜", "叶", "程", "魏", "苏", "吕", "丁",
            "任", "卢", "欧阳", "司马", "诸葛", "上官");

    static final List<String> GIVEN_MALE = List.of("伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚",
            "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "建国", "志强", "海涛",
            "晓东", "文博", "子轩", "浩然", "宇航", "俊杰", "明辉", "国华", "建华", "志明", "家豪", "嘉诚");

    static final List<String> GIVEN_FEMALE = List.of("芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "桂英",
            "玲", "婷", "雪", "慧", "颖", "琳", "欣", "晶", "倩", "燕", "红", "梅", "丹", "萍", "秀兰", "玉兰",
            "晓燕", "丽娟", "雨涵", "梓涵", "欣怡", "思琪", "佳怡", "诗雨", "婉婷", "美玲", "春梅", "海燕");

    /** Characters written alike in sound (pinyin), as a telesales agent might type them. */
    static final Map<Character, Character> HOMOPHONES = Map.ofEntries(
            Map.entry('张', '章'), Map.entry('王', '汪'), Map.entry('刘', '柳'), Map.entry('杨', '阳'),
            Map.entry('黄', '皇'), Map.entry('周', '州'), Map.entry('吴', '武'), Map.entry('林', '琳'),
            Map.entry('伟', '玮'), Map.entry('芳', '方'), Map.entry('娜', '纳'), Map.entry('敏', '民'),
            Map.entry('静', '婧'), Map.entry('丽', '莉'), Map.entry('强', '蔷'), Map.entry('磊', '垒'),
            Map.entry('军', '君'), Map.entry('勇', '涌'), Map.entry('艳', '燕'), Map.entry('杰', '洁'),
            Map.entry('娟', '鹃'), Map.entry('涛', '韬'), Map.entry('明', '铭'), Map.entry('霞', '夏'),
            Map.entry('平', '萍'), Map.entry('刚', '钢'), Map.entry('华', '桦'), Map.entry('飞', '菲'),
            Map.entry('宇', '雨'), Map.entry('浩', '昊'), Map.entry('俊', '骏'), Map.entry('玲', '琳'),
            Map.entry('婷', '亭'), Map.entry('雪', '薛'), Map.entry('慧', '惠'), Map.entry('颖', '莹'));

    /** Latin spellings of surnames, for e-mail addresses. */
    static final Map<String, String> PINYIN = Map.ofEntries(
            Map.entry("王", "wang"), Map.entry("李", "li"), Map.entry("张", "zhang"), Map.entry("刘", "liu"),
            Map.entry("陈", "chen"), Map.entry("杨", "yang"), Map.entry("黄", "huang"), Map.entry("赵", "zhao"),
            Map.entry("吴", "wu"), Map.entry("周", "zhou"), Map.entry("徐", "xu"), Map.entry("孙", "sun"),
            Map.entry("马", "ma"), Map.entry("朱", "zhu"), Map.entry("胡", "hu"), Map.entry("郭", "guo"),
            Map.entry("林", "lin"), Map.entry("高", "gao"), Map.entry("罗", "luo"), Map.entry("郑", "zheng"));

    /** A district: its region code, names, postal code and telephone area code. */
    record Place(String code, String province, String city, String district, String postal, String area) {
        String full() {
            return province + (city.equals(province) ? "" : city) + district;
        }
    }

    static final List<Place> PLACES = List.of(
            new Place("110105", "北京市", "北京市", "朝阳区", "100020", "010"),
            new Place("110108", "北京市", "北京市", "海淀区", "100080", "010"),
            new Place("310115", "上海市", "上海市", "浦东新区", "200120", "021"),
            new Place("310104", "上海市", "上海市", "徐汇区", "200030", "021"),
            new Place("440106", "广东省", "广州市", "天河区", "510620", "020"),
            new Place("440305", "广东省", "深圳市", "南山区", "518057", "0755"),
            new Place("330106", "浙江省", "杭州市", "西湖区", "310012", "0571"),
            new Place("320102", "江苏省", "南京市", "玄武区", "210018", "025"),
            new Place("510107", "四川省", "成都市", "武侯区", "610041", "028"),
            new Place("420106", "湖北省", "武汉市", "武昌区", "430061", "027"),
            new Place("370102", "山东省", "济南市", "历下区", "250011", "0531"),
            new Place("610113", "陕西省", "西安市", "雁塔区", "710061", "029"),
            new Place("500103", "重庆市", "重庆市", "渝中区", "400010", "023"),
            new Place("350102", "福建省", "福州市", "鼓楼区", "350001", "0591"),
            new Place("410105", "河南省", "郑州市", "金水区", "450008", "0371"));

    static final List<String> STREETS = List.of("中山路", "人民路", "解放路", "建设路", "和平路", "文化路", "长江路",
            "黄河路", "科技路", "新华路", "光明街", "幸福街", "青年路", "体育路", "滨江大道", "世纪大道");

    static final List<String> ORG_WORDS = List.of("华信", "恒达", "瑞丰", "远航", "新星", "宏图", "金桥", "博远",
            "鼎盛", "安泰", "鸿运", "卓越", "创新", "天成", "海纳", "云帆");

    static final List<String> ORG_KINDS = List.of("科技", "贸易", "物流", "建设", "餐饮", "医药", "电子", "咨询",
            "汽车服务", "文化传媒");

    static final List<String> ORG_FORMS = List.of("有限公司", "股份有限公司", "有限责任公司");

    static final List<String> CHANNELS = List.of("direct", "agent", "telesales", "web", "wechat", "bank", "broker",
            "car");

    static final List<String> MOBILE_PREFIXES = List.of("130", "131", "132", "133", "135", "136", "137", "138", "139",
            "150", "151", "152", "155", "156", "157", "158", "159", "177", "180", "181", "186", "187", "188", "189");
}
