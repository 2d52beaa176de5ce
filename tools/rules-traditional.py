#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# rules-traditional.py FILE...: give the Chinese of rule patterns their
# traditional forms too, in place: a simplified character c with a distinct
# traditional form T becomes [cT] (or gains T inside a character class), so
# that Taiwanese and Hong Kong mail, and Big5, match the same rules.  Only
# the patterns of tests are touched; running it again changes nothing.
# The table holds the characters the shipped rules use and their
# neighbours; add a pair when a new rule needs one.
import re, sys
PAIRS = """万萬 与與 专專 业業 东東 临臨 为為 书書 亚亞 产產 从從 们們 众眾 会會 传傳 余餘
偿償 关關 内內 册冊 决決 况況 冻凍 凭憑 击擊 划劃 则則 删刪 别別 动動 务務 区區 华華 协協
单單 卖賣 发發 号號 听聽 唤喚 团團 国國 处處 复復 宝寶 审審 宾賓 对對 将將 尔爾 币幣 师師
应應 开開 录錄 户戶 扫掃 报報 拟擬 据據 采採 无無 时時 暂暫 权權 构構 标標 检檢 汇匯 泽澤
测測 点點 状狀 玛瑪 现現 电電 码碼 签簽 结結 绝絕 经經 维維 编編 约約 级級 纽紐 给給 统統
绩績 罗羅 联聯 萨薩 虚虛 观觀 规規 订訂 计計 认認 议議 讯訊 讲講 讼訟 设設 证證 评評 识識
诉訴 询詢 请請 诺諾 贝貝 货貨 质質 购購 贵貴 费費 资資 赔賠 输輸 辩辯 达達 进進 违違 连連
迟遲 逊遜 邮郵 针針 钓釣 铺鋪 链鏈 销銷 闭閉 间間 阅閱 队隊 险險 项項 颁頒 额額 风風 马馬
验驗 鱼魚 网網 页頁 买買 须須 问問 门門 条條 数數 类類 记記 让讓 说說 该該 详詳 误誤 语語
读讀 转轉 运運 这這 过過 还還 选選 钱錢 银銀 错錯 长長 际際 难難 题題 飞飛 补補 击擊 执執
归歸 护護 态態 担擔 损損 换換 举舉 义義 乐樂 习習 乡鄉 书書 于於 亏虧 争爭 亲親 侦偵 价價
优優 伙夥 体體 余餘 侧側 俭儉 债債 倾傾 兑兌 养養 兴興 冲衝 减減 凤鳳 刘劉 创創 剂劑 办辦
劳勞 势勢 汉漢 医醫 卫衛 厂廠 压壓 厅廳 县縣 参參 双雙 变變 启啟 员員 响響 围圍 图圖 场場
块塊 坏壞 声聲 处處 备備 头頭 夺奪 奖獎 妇婦 学學 实實 宁寧 层層 岁歲 币幣 帅帥 带帶 广廣
库庫 废廢 张張 弹彈 彻徹 征徵 忆憶 总總 恶惡 悬懸 惊驚 惯慣 战戰 扩擴 扰擾 抚撫 抢搶 护護
择擇 拥擁 挂掛 据據 携攜 摄攝 敌敵 断斷 术術 杂雜 权權 极極 构構 枪槍 样樣 档檔 桥橋 梦夢
检檢 楼樓 欢歡 毕畢 气氣 汇匯 沟溝 济濟 浅淺 润潤 涨漲 渐漸 灵靈 灾災 烦煩 热熱 爱愛 独獨
环環 码碼 确確 礼禮 离離 种種 积積 称稱 穷窮 竞競 笔筆 筑築 简簡 粮糧 紧緊 纪紀 纯純 纳納
线線 练練 组組 细細 织織 终終 绍紹 绑綁 绕繞 继繼 绪緒 续續 缴繳 职職 胜勝 脑腦 舱艙 艺藝
节節 药藥 获獲 营營 虽雖 补補 装裝 览覽 视視 触觸 誉譽 订訂 训訓 许許 论論 访訪 证證 识識
诊診 词詞 译譯 试試 诚誠 诞誕 询詢 详詳 谈談 谋謀 谢謝 谨謹 贡貢 财財 责責 败敗 账賬 贷貸
贸貿 赁賃 资資 赖賴 赚賺 车車 轮輪 软軟 轻輕 较較 辑輯 输輸 边邊 辽遼 达達 迁遷 迹跡 适適
递遞 遗遺 邻鄰 郑鄭 释釋 鉴鑒 钟鐘 铁鐵 锁鎖 镇鎮 问問 闻聞 阶階 阴陰 陈陳 陕陝 随隨 隐隱
韩韓 顺順 预預 领領 频頻 题題 颜顏 饭飯 馆館 驱驅 驶駛 骗騙 鲁魯 黄黃 齐齊"""
S2T = {}
for pair in PAIRS.split():
    S2T.setdefault(pair[0], set()).add(pair[1])
S2T['账'] = {'賬', '帳'}
S2T['台'] = set()

def convert(pat):
    out = []; i = 0; in_class = False
    while i < len(pat):
        c = pat[i]
        if c == '\\':
            out.append(pat[i:i+2]); i += 2
            # \p{...} / \x{...}: copy the braces whole
            if i <= len(pat) and pat[i-1] in 'pPx' and i < len(pat) and pat[i] == '{':
                j = pat.index('}', i); out.append(pat[i:j+1]); i = j + 1
            continue
        if in_class:
            if c == ']':
                in_class = False; out.append(c)
            else:
                out.append(c)
                for t in sorted(S2T.get(c, ())):
                    if t not in pat[max(0,i-8):i+8]: out.append(t)
            i += 1; continue
        if c == '[':
            in_class = True; out.append(c); i += 1
            if i < len(pat) and pat[i] == '^': out.append('^'); i += 1
            if i < len(pat) and pat[i] == ']': out.append(']'); i += 1
            continue
        ts = sorted(S2T.get(c, ()))
        out.append('[' + c + ''.join(ts) + ']' if ts else c)
        i += 1
    return ''.join(out)

TEST = re.compile(r'^(\s+(?:subject|from|from-name|to|body|rawbody|any|uri|attachment|authres|header \S+)\s+/)(.*)(/[imsxn]*(?:\s+#.*)?)$')
for path in sys.argv[1:]:
    lines = open(path, encoding='utf-8').read().split('\n')
    for n, l in enumerate(lines):
        m = TEST.match(l)
        if m and re.search(r'[\u4e00-\u9fff]', m.group(2)):
            lines[n] = m.group(1) + convert(m.group(2)) + m.group(3)
    open(path, 'w', encoding='utf-8').write('\n'.join(lines))
