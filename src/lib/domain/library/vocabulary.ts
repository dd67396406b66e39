/**
 * Controlled vocabularies shared by every report's seed file. One list across all five reports,
 * so a theme or actor filter means the same thing everywhere. Keys are stable (stored in the
 * database and in board cards); labels may be improved freely.
 */

export interface Term {
	ja: string;
	en: string;
}

export const THEMES = {
	talent: { ja: '人材', en: 'Talent and skills' },
	education: { ja: '教育', en: 'Education' },
	diversity: { ja: '多様性・包摂', en: 'Diversity and inclusion' },
	startups: { ja: 'スタートアップ', en: 'Startups' },
	open_innovation: { ja: 'オープンイノベーション', en: 'Open innovation' },
	industry_academia: { ja: '産学官連携', en: 'Industry–academia–government collaboration' },
	basic_research: { ja: '基礎研究・学術', en: 'Basic research and science' },
	rd_investment: { ja: '研究開発投資', en: 'R&D investment' },
	research_funding: { ja: '研究資金・ファンディング', en: 'Research funding' },
	research_security: {
		ja: '研究セキュリティ・インテグリティ',
		en: 'Research security and integrity'
	},
	economic_security: { ja: '経済安全保障', en: 'Economic security' },
	emerging_tech: { ja: '先端・エマージング技術', en: 'Emerging and frontier technologies' },
	digital_transformation: { ja: 'デジタル化・DX', en: 'Digital transformation' },
	data: { ja: 'データ流通・利活用', en: 'Data flows and use' },
	ai: { ja: 'AI', en: 'Artificial intelligence' },
	iot: { ja: 'IoT', en: 'Internet of Things' },
	telecom: { ja: '通信・5G/Beyond 5G', en: 'Telecommunications, 5G and beyond' },
	cybersecurity: { ja: 'サイバーセキュリティ', en: 'Cybersecurity' },
	quantum: { ja: '量子技術', en: 'Quantum technology' },
	biotech: { ja: 'バイオ', en: 'Biotechnology' },
	materials: { ja: 'マテリアル', en: 'Materials' },
	semiconductors: { ja: '半導体・コンピューティング', en: 'Semiconductors and computing' },
	robotics: { ja: 'ロボティクス', en: 'Robotics' },
	space_ocean: { ja: '宇宙・海洋', en: 'Space and ocean' },
	energy_environment: {
		ja: 'エネルギー・環境・GX',
		en: 'Energy, environment and green transformation'
	},
	circular_economy: { ja: 'サーキュラーエコノミー', en: 'Circular economy' },
	sdgs: { ja: 'SDGs', en: 'Sustainable Development Goals' },
	health: { ja: '医療・健康', en: 'Health and medicine' },
	manufacturing: { ja: 'ものづくり・製造業', en: 'Manufacturing' },
	smes_regions: { ja: '中小企業・地域', en: 'SMEs and regions' },
	smart_cities: { ja: 'スマートシティ・まちづくり', en: 'Smart cities and local services' },
	disaster_resilience: { ja: '防災・レジリエンス', en: 'Disaster resilience' },
	standards_ip: { ja: '標準化・知財', en: 'Standards and intellectual property' },
	international: { ja: '国際展開・国際協力', en: 'International expansion and cooperation' },
	regulation: { ja: '規制・制度改革', en: 'Regulation and institutional reform' },
	governance: { ja: '政策ガバナンス・司令塔', en: 'Policy governance and coordination' },
	finance: { ja: '金融・投資', en: 'Finance and investment' },
	public_procurement: { ja: '公共調達・政府需要', en: 'Public procurement and demand' },
	evaluation: { ja: '評価・指標', en: 'Evaluation and metrics' },
	society5: { ja: 'Society 5.0', en: 'Society 5.0' },
	infrastructure: { ja: '研究・社会インフラ', en: 'Research and social infrastructure' },
	business_strategy: { ja: '経営・事業戦略', en: 'Business and management strategy' },
	public_engagement: { ja: '社会との対話・ELSI', en: 'Public engagement and ELSI' }
} as const satisfies Record<string, Term>;

export type ThemeKey = keyof typeof THEMES;

export const ACTORS = {
	government: { ja: '政府', en: 'Government' },
	cabinet_office: { ja: '内閣府・CSTI', en: 'Cabinet Office / CSTI' },
	meti: { ja: '経済産業省', en: 'METI' },
	mic: { ja: '総務省', en: 'MIC' },
	mext: { ja: '文部科学省', en: 'MEXT' },
	other_ministries: { ja: 'その他の府省', en: 'Other ministries' },
	funding_agencies: {
		ja: '資金配分機関（NEDO・JST・AMED等）',
		en: 'Funding agencies (NEDO, JST, AMED…)'
	},
	national_labs: { ja: '国立研究開発法人', en: 'National research institutes' },
	universities: { ja: '大学', en: 'Universities' },
	researchers: { ja: '研究者', en: 'Researchers' },
	companies: { ja: '企業・産業界', en: 'Companies and industry' },
	startups: { ja: 'スタートアップ', en: 'Startups' },
	smes: { ja: '中小企業', en: 'SMEs' },
	investors: { ja: '投資家・金融機関', en: 'Investors and financial institutions' },
	local_governments: { ja: '自治体・地域', en: 'Local governments and regions' },
	international_orgs: {
		ja: '国際機関・海外政府',
		en: 'International organisations and foreign governments'
	},
	jica_oda: { ja: 'JICA・ODA', en: 'JICA / ODA' },
	standards_bodies: { ja: '標準化団体', en: 'Standards bodies' },
	civil_society: { ja: '市民・NPO', en: 'Citizens and NPOs' },
	industry_associations: { ja: '業界団体・経済団体', en: 'Industry and business associations' },
	telecom_operators: { ja: '通信事業者', en: 'Telecom operators' }
} as const satisfies Record<string, Term>;

export type ActorKey = keyof typeof ACTORS;

/** How strongly the report recommends something, by the Japanese ending it uses. */
export const MODALITIES = {
	beki: { ja: '〜べき', en: 'should (べき)' },
	hitsuyo: { ja: '〜必要', en: 'is necessary (必要)' },
	juyo: { ja: '〜重要', en: 'is important (重要)' },
	kitai: { ja: '〜期待される', en: 'is expected (期待される)' },
	kangaerareru: { ja: '〜考えられる', en: 'could be considered (考えられる)' },
	ikaga: { ja: '〜しては如何か', en: 'how about… (如何か)' },
	mezasu: { ja: '〜目指す', en: 'aims to (目指す)' },
	commitment: { ja: '〜する・推進する', en: 'will do (declarative)' },
	kento: { ja: '〜検討', en: 'will consider (検討)' }
} as const satisfies Record<string, Term>;

export type ModalityKey = keyof typeof MODALITIES;

export const ITEM_KINDS = {
	issue: { ja: '課題', en: 'Issue' },
	proposal: { ja: '提言・施策', en: 'Proposal / measure' },
	target: { ja: '目標', en: 'Target' }
} as const satisfies Record<string, Term>;

export type ItemKind = keyof typeof ITEM_KINDS;

export const SUBKINDS = {
	// issues
	problem: { ja: '問題', en: 'Problem' },
	question: { ja: '問題提起', en: 'Question raised' },
	megatrend: { ja: 'メガトレンド', en: 'Megatrend' },
	risk: { ja: 'リスク', en: 'Risk' },
	gap: { ja: '国際比較の遅れ', en: 'Gap against peers' },
	// proposals
	pillar: { ja: '柱', en: 'Pillar' },
	direction: { ja: '方向性', en: 'Direction' },
	measure: { ja: '施策', en: 'Measure' },
	example: { ja: '取組例', en: 'Example' },
	principle: { ja: '原則', en: 'Principle' },
	// targets
	goal: { ja: '目指す姿', en: 'Goal' },
	kpi: { ja: '数値目標', en: 'Numeric target' },
	milestone: { ja: 'マイルストーン', en: 'Milestone' }
} as const satisfies Record<string, Term>;

export type SubkindKey = keyof typeof SUBKINDS;

export const REPORT_KINDS = {
	ministry_vision: { ja: '省庁ビジョン', en: 'Ministry vision' },
	council_report: { ja: '審議会報告', en: 'Advisory council report' },
	ministry_report: { ja: '省庁研究会報告書', en: 'Ministry study group report' },
	presentation_deck: { ja: '会議資料', en: 'Presentation deck' },
	industry_proposal: { ja: '産業界提言', en: 'Industry proposal' }
} as const satisfies Record<string, Term>;

export type ReportKindKey = keyof typeof REPORT_KINDS;
