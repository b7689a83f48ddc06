"""Labels in Kazakh, Russian and English, and numbers written the way each language writes them.

The app and every export take their words from here, so a planner who switches language sees the same
terms everywhere. A missing translation falls back to English (and a test checks there are none).
"""

from __future__ import annotations

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

# key -> (kk, ru, en)
_TEXT: dict[str, tuple[str, str, str]] = {
    # --- app frame -------------------------------------------------------------------------------
    "app_title": ("Өңірлік даму жол картасы", "Дорожная карта регионального развития",
                  "Regional development roadmap"),
    "app_subtitle": ("Қазақстан өңірлері арасындағы алшақтықты қысқарту",
                     "Сокращение диспропорций между регионами Казахстана",
                     "Reducing disparities between Kazakhstan's regions"),
    "language": ("Тіл", "Язык", "Language"),
    "page_data": ("Деректер", "Данные", "Data"),
    "page_diagnosis": ("Диагностика", "Диагностика", "Diagnosis"),
    "page_whatif": ("Сценарий талдауы", "Анализ «что если»", "What-if"),
    "page_frontier": ("Тиімділік шекарасы", "Граница эффективности", "Frontier"),
    "page_roadmap": ("Жол картасы", "Дорожная карта", "Roadmap"),
    "page_scenarios": ("Сценарийлер", "Сценарии", "Scenarios"),
    "page_workshop": ("Семинар", "Семинар", "Workshop"),
    "builtin_english_note": ("Кейбір кірістірілген басқару элементтерінің мәтіні (мысалы, файл жүктеу) тек ағылшын тілінде.",
                             "Текст некоторых встроенных элементов (например, загрузки файла) доступен только на английском.",
                             "Some built-in controls (such as the file uploader) show English text only."),
    # --- data ---------------------------------------------------------------------------------------
    "dataset": ("Деректер жиыны", "Набор данных", "Dataset"),
    "default_dataset": ("Қазақстан (әдепкі)", "Казахстан (по умолчанию)", "Kazakhstan (default)"),
    "upload_table": ("Өз кестеңізді жүктеңіз (CSV немесе XLSX, ұзын не кең пішім)",
                     "Загрузите свою таблицу (CSV или XLSX, длинный или широкий формат)",
                     "Upload your own table (CSV or XLSX, long or wide form)"),
    "year_for_wide": ("Кең кесте үшін жыл (жыл бағаны болмаса)", "Год для широкой таблицы (если нет столбца года)",
                      "Year for a wide table (if it has no year column)"),
    "upload_rules": ("Көрсеткіштер деректер каталогындағыдай аталып, сондағы өлшем бірлігімен, {first}-{last} жылдарға "
                     "беріледі. Жаңа көрсеткішті ұзын кестеде жариялаңыз: оның жолдарында '{flag}' белгісі мен өлшем "
                     "бірлігі болсын.",
                     "Показатели называются как в каталоге данных, в его единицах, за {first}-{last} годы. Новый "
                     "показатель объявляется в длинной таблице: в его строках флаг '{flag}' и единица измерения.",
                     "Indicators are named as in the data's catalogue, in its units, for the years {first}-{last}. "
                     "Declare a new indicator in a long table: its rows carry the flag '{flag}' and its unit."),
    "validation_ok": ("Кесте тексерілді: {rows} мән, {units} бірлік, көрсеткіштер: {indicators}",
                      "Таблица проверена: {rows} значений, {units} единиц, показатели: {indicators}",
                      "Table checked: {rows} values, {units} units, indicators: {indicators}"),
    "validation_failed": ("Кестеде {count} қате табылды; ештеңе өзгертілмеді:",
                          "В таблице найдено ошибок: {count}; ничего не изменено:",
                          "{count} problem(s) found in the table; nothing was changed:"),
    "use_upload": ("Жүктелген мәндерді талдауда қолдану", "Использовать загруженные значения в анализе",
                   "Use the uploaded values in the analysis"),
    "upload_in_use": ("Талдауда жүктелген мәндер қолданылуда", "В анализе используются загруженные значения",
                      "The analysis uses the uploaded values"),
    "sources": ("Дереккөздер", "Источники", "Sources"),
    "units_table": ("Аумақтық бірліктер", "Территориальные единицы", "Territorial units"),
    "indicators_table": ("Көрсеткіштер", "Показатели", "Indicators"),
    # --- diagnosis ----------------------------------------------------------------------------------
    "year": ("Жыл", "Год", "Year"),
    "indicator": ("Көрсеткіш", "Показатель", "Indicator"),
    "region": ("Өңір", "Регион", "Region"),
    "value": ("Мәні", "Значение", "Value"),
    "population": ("Халық саны", "Численность населения", "Population"),
    "economic_type": ("Экономика типі", "Тип экономики", "Economic type"),
    "macro_region": ("Макроөңір", "Макрорегион", "Macro-region"),
    "problem_region": ("Проблемалы өңір", "Проблемный регион", "Problem region"),
    "problem_regions": ("Проблемалы өңірлер", "Проблемные регионы", "Problem regions"),
    "why": ("Себебі", "Причина", "Why"),
    "map": ("Карта", "Карта", "Map"),
    "ranking": ("Рейтинг", "Рейтинг", "Ranking"),
    "metrics": ("Көрсеткіштер", "Метрики", "Metrics"),
    "trend": ("Динамика", "Динамика", "Trend"),
    "theil_split": ("Тейл индексінің ыдырауы (экономика типтері бойынша)",
                    "Разложение индекса Тейла (по типам экономики)",
                    "Theil split (by economic type)"),
    "between": ("Топтар арасындағы", "Между группами", "Between groups"),
    "within": ("Топтар ішіндегі", "Внутри групп", "Within groups"),
    "no_problem_regions": ("Проблемалы өңір жоқ", "Проблемных регионов нет", "No problem regions"),
    "flagged_note": ("Ескерту", "Примечание", "Note"),
    # --- baseline backtest ---------------------------------------------------------------------------
    "backtest_title": ("Базалық болжам тексерісі (бэктест)", "Проверка базового прогноза (бэктест)",
                       "Checking the baseline forecast (backtest)"),
    "backtest_caption": (
        "{origins} бастапқы жылдан 1–{horizon} жылға жасалған болжамдар: жан басына шаққандағы ЖӨӨ-нің ұлттық "
        "деңгейге қатынасының орташа абсолюттік пайыздық қатесі (MAPE) және макс/мин қатынасының қатесі. "
        "Әр болжам тек бастапқы жылға дейінгі деректерді пайдаланады. Қозғалтқыштың базалық болжамы "
        "(жылына {rate} жақындасу) осы кесте бойынша таңдалған.",
        "Прогнозы из {origins} исходных лет на 1–{horizon} лет вперёд: средняя абсолютная процентная ошибка "
        "(MAPE) ВРП на душу населения относительно национального уровня и ошибка отношения макс/мин. Каждый "
        "прогноз использует только данные до исходного года. Базовый прогноз модели (сближение {rate} в год) "
        "выбран по этой таблице.",
        "Forecasts from {origins} origin years at horizons 1-{horizon}: the mean absolute percentage error "
        "(MAPE) of GRP per capita relative to the national level, and the error of the max/min ratio. Each "
        "forecast uses only the data up to its origin. The engine's baseline (convergence {rate} a year) is "
        "chosen by this table."),
    "backtest_show": ("Тексерісті көрсету", "Показать проверку", "Show the check"),
    "backtest_method": ("Әдіс", "Метод", "Method"),
    "backtest_mape": ("MAPE, %", "MAPE, %", "MAPE, %"),
    "backtest_ratio_error": ("Макс/мин қатесі, %", "Ошибка макс/мин, %", "Max/min error, %"),
    "backtest_origin": ("MAPE, бастапқы жыл {year}", "MAPE, исходный год {year}", "MAPE, origin {year}"),
    "method_persistence": ("Өзгеріссіз (соңғы мән)", "Без изменений (последнее значение)",
                           "Persistence (last value)"),
    "method_convergence_2pct": ("Жылына 2% жақындасу", "Сближение 2% в год", "Convergence 2% a year"),
    "method_linear_trend": ("Сызықтық тренд", "Линейный тренд", "Linear trend"),
    "method_damped_trend": ("Бәсеңдейтін тренд", "Затухающий тренд", "Damped trend"),
    "method_engine": ("Қозғалтқыштың базалық болжамы", "Базовый прогноз модели", "The engine's baseline"),
    "method_engine_fitted": ("Базалық болжам, жылдамдық деректерден бағаланған",
                             "Базовый прогноз, скорость оценена по данным",
                             "The engine's baseline, speed fitted to the data"),
    "backtest_default": ("(әдепкі)", "(по умолчанию)", "(default)"),
    "backtest_beta": (
        "Бета-жақындасу {first}–{last}: жылына {beta} (өңірлер бойынша кластерленген стандартты қате {se}; "
        "95% аралық {low} – {high}).",
        "Бета-сходимость {first}–{last}: {beta} в год (стандартная ошибка с кластеризацией по регионам {se}; "
        "95% интервал {low} – {high}).",
        "Beta convergence {first}-{last}: {beta} a year (standard error clustered by region {se}; 95% interval "
        "{low} to {high})."),
    "backtest_sigma": (
        "Сигма-жақындасу (логарифмдік ЖӨӨ-нің стандартты ауытқуы), {first}–{last}: жылына {slope} (қате {se}).",
        "Сигма-сходимость (стандартное отклонение логарифма ВРП), {first}–{last}: {slope} в год (ошибка {se}).",
        "Sigma convergence (standard deviation of log GRP per capita), {first}-{last}: {slope} a year "
        "(error {se})."),
    "backtest_weak": (
        "Базалық болжам өзгеріссіз болжамнан MAPE бойынша тек {gain} пунктке жақсы: ол негізінен макс/мин "
        "қатынасын дәлірек болжайды.",
        "Базовый прогноз лучше прогноза «без изменений» лишь на {gain} п.п. MAPE: точнее он прежде всего в "
        "отношении макс/мин.",
        "The baseline beats persistence by only {gain} points of MAPE: it is better mainly on the max/min ratio."),
    # --- metrics ------------------------------------------------------------------------------------
    "max_min_ratio": ("Ең жоғары/ең төмен арақатынасы (ресми көрсеткіш)", "Соотношение максимум/минимум (официальный показатель)",
                      "Max/min ratio (official indicator)"),
    "cv": ("Вариация коэффициенті", "Коэффициент вариации", "Coefficient of variation"),
    "williamson": ("Уильямсон индексі (халық санымен өлшенген)", "Индекс Уильямсона (взвешенный по населению)",
                   "Williamson index (population-weighted)"),
    "gini": ("Джини коэффициенті", "Коэффициент Джини", "Gini"),
    "gini_weighted": ("Джини (халықпен өлшенген)", "Джини (взвешенный по населению)", "Gini (population-weighted)"),
    "theil_t": ("Тейл T", "Тейл T", "Theil T"),
    "theil_t_weighted": ("Тейл T (халықпен өлшенген)", "Тейл T (взвешенный)", "Theil T (population-weighted)"),
    "theil_l": ("Тейл L", "Тейл L", "Theil L"),
    "theil_l_weighted": ("Тейл L (халықпен өлшенген)", "Тейл L (взвешенный)", "Theil L (population-weighted)"),
    "theil_between": ("Тейл: типтер арасындағы", "Тейл: между типами", "Theil: between types"),
    "theil_within": ("Тейл: типтер ішіндегі", "Тейл: внутри типов", "Theil: within types"),
    "atkinson_0_5": ("Аткинсон (ε=0,5)", "Аткинсон (ε=0,5)", "Atkinson (ε=0.5)"),
    "atkinson_1": ("Аткинсон (ε=1)", "Аткинсон (ε=1)", "Atkinson (ε=1)"),
    "atkinson_2": ("Аткинсон (ε=2)", "Аткинсон (ε=2)", "Atkinson (ε=2)"),
    "share_pop_below_75pct": ("Орташа деңгейдің 75%-ынан төмен өңірлердегі халық үлесі",
                              "Доля населения в регионах ниже 75% среднего уровня",
                              "Population share in units below 75% of the national level"),
    "ratio_only_warning": ("Жоспар тек ең жоғары/ең төмен арақатынасы бойынша жақсарады, ал Уильямсон немесе Тейл индексі нашарлайды.",
                           "План улучшает только соотношение максимум/минимум, а индекс Уильямсона или Тейла ухудшается.",
                           "The plan improves the max/min ratio only; Williamson or Theil gets worse."),
    # --- directions and parts ---------------------------------------------------------------------------
    "agglomeration": ("Агломерацияларды дамыту", "Развитие агломераций", "Agglomeration development"),
    "peripheral_compression": ("Перифериялық аумақтарды басқарылатын қысу", "Управляемое периферийное сжатие",
                               "Managed peripheral compression"),
    "mobility": ("Халықтың ұтқырлығына жәрдемдесу", "Содействие мобильности населения", "Population mobility"),
    "interaction": ("Мемлекет, бизнес және халықтың өзара іс-қимылы", "Взаимодействие государства, бизнеса и населения",
                    "Government–business–population interaction"),
    "equity": ("Теңестіру (I бөлім)", "Выравнивание (часть I)", "Equity (Part I)"),
    "efficiency": ("Тиімділік (II бөлім)", "Эффективность (часть II)", "Efficiency (Part II)"),
    "part_equity_title": ("I бөлім. Теңестіру: артта қалған және проблемалы өңірлерге арналған шаралар",
                          "Часть I. Выравнивание: меры для отстающих и проблемных регионов",
                          "Part I. Equity: measures for lagging and problem regions"),
    "part_efficiency_title": ("II бөлім. Тиімділік: өсу полюстері мен агломерациялар",
                              "Часть II. Эффективность: полюса роста и агломерации",
                              "Part II. Efficiency: growth poles and agglomerations"),
    # --- what-if --------------------------------------------------------------------------------------
    "budget_per_year": ("Жылдық бюджет, млрд теңге", "Бюджет в год, млрд тенге", "Budget per year, bn tenge"),
    "horizon": ("Жоспарлау кезеңі", "Горизонт планирования", "Horizon"),
    "objective": ("Мақсат", "Цель", "Objective"),
    "equity_share": ("Теңестіру бөлігінің ең аз үлесі", "Минимальная доля части «выравнивание»",
                     "Least share of the equity part"),
    "direction_bounds": ("Бағыттар бойынша шектеулер (бюджет үлесі)", "Ограничения по направлениям (доля бюджета)",
                         "Direction bounds (share of the budget)"),
    "unit_caps": ("Өңірлерге жылдық шек, млрд теңге", "Годовые лимиты по регионам, млрд тенге",
                  "Yearly caps per region, bn tenge"),
    "assumptions": ("Болжамдар", "Допущения", "Assumptions"),
    "solve": ("Есептеу", "Рассчитать", "Solve"),
    "solving": ("Есептелуде…", "Идёт расчёт…", "Solving…"),
    "allocation": ("Бюджетті бөлу", "Распределение бюджета", "Allocation"),
    "heatmap_title": ("Өңірлер мен бағыттар бойынша бөлу, млрд теңге", "Распределение по регионам и направлениям, млрд тенге",
                      "Allocation by region and direction, bn tenge"),
    "trajectories": ("Траекториялар", "Траектории", "Trajectories"),
    "before": ("Базалық жыл", "Базовый год", "Base year"),
    "baseline": ("Саясатсыз", "Без новой политики", "No new policy"),
    "plan": ("Жоспар", "План", "Plan"),
    "criteria_by_year": ("Екі өлшем жылдар бойынша", "Оба критерия по годам", "Both criteria by year"),
    "what_it_takes": ("Не қажет", "Что для этого нужно", "What it takes"),
    "curve_intro": ("Жоспардың көрсеткіші жоспарлау кезеңінің соңғы жылында, жыл сайын бірдей бюджетпен: нөлден ережелер "
                    "орналастыра алатын ең көп сомаға дейін. Қисық тегістелген жерде сіңіру шектері тоқтатады.",
                    "Показатель плана в последнем году горизонта при одинаковом бюджете каждый год: от нуля до "
                    "наибольшей суммы, которую допускают правила. Там, где кривая выравнивается, её останавливают "
                    "пределы освоения средств.",
                    "The plan's criterion in the horizon's last year with the same budget every year, from nothing to "
                    "the most the rules can place. Where the curve flattens, the absorption caps stop it."),
    "curve_metric": ("Көрсеткіш", "Показатель", "Criterion"),
    "curve_run": ("Қисықты есептеу", "Рассчитать кривую", "Compute the curve"),
    "curve_title": ("Бюджет пен нәтиже", "Бюджет и результат", "Budget and outcome"),
    "curve_budget": ("Жылдық бюджет, млрд теңге", "Годовой бюджет, млрд тенге", "Yearly budget, bn tenge"),
    "formula_baselines": ("Формулалық бөлу әдістерімен салыстыру", "Сравнение с формульными распределениями",
                          "Compared with formula allocations"),
    "status": ("Күйі", "Статус", "Status"),
    "infeasible": ("Сценарий орындалмайды", "Сценарий недопустим", "The scenario is infeasible"),
    "explanations": ("Түсіндірмелер", "Пояснения", "Explanations"),
    "rests_on_assumptions": ("Нәтиже мына болжамдарға сүйенеді", "Результат опирается на допущения",
                             "The result rests on these assumptions"),
    "shadow_price": ("Бюджеттің көлеңкелі бағасы", "Теневая цена бюджета", "Shadow price of the budget"),
    "bn_kzt": ("млрд теңге", "млрд тенге", "bn tenge"),
    "thousand_kzt_pc": ("мың теңге/адам", "тыс. тенге на человека", "thousand tenge per person"),
    "obj_max_min_ratio": ("Ең жоғары/ең төмен арақатынасын азайту", "Минимизировать соотношение максимум/минимум",
                          "Minimise the max/min ratio"),
    "obj_maximin": ("Ең артта қалған өңірді көтеру", "Поднять самый отстающий регион", "Lift the worst-off region"),
    "obj_shortfall": ("Орташа деңгейден кемшілікті азайту", "Сократить отставание от среднего уровня",
                      "Minimise the shortfall below the average"),
    "obj_problem_regions": ("Проблемалы өңірлер санын азайту", "Минимизировать число проблемных регионов",
                            "Fewest problem regions"),
    "obj_share_below": ("Орташа деңгейдің 75%-ынан төмен өңірлердегі халық үлесін азайту",
                        "Минимизировать долю населения в регионах ниже 75% среднего уровня",
                        "Fewest people in units below 75% of the national level"),
    "obj_national_growth": ("Ұлттық ЖӨӨ-ні барынша арттыру", "Максимизировать национальный ВРП",
                            "Most national GRP"),
    "obj_blend": ("Теңестіру мен тиімділік үйлесімі", "Сочетание выравнивания и эффективности",
                  "Blend of equity and efficiency"),
    "equity_weight": ("Теңестіру салмағы", "Вес выравнивания", "Equity weight"),
    # --- frontier / scenarios / roadmap --------------------------------------------------------------------
    "frontier_points": ("Нүктелер саны", "Число точек", "Number of points"),
    "compute_frontier": ("Шекараны есептеу", "Рассчитать границу", "Compute the frontier"),
    "take_point": ("Осы нүктенің жоспарын алу", "Взять план этой точки", "Take this point's plan"),
    "national_growth": ("Ұлттық ЖӨӨ өсімі, млрд теңге", "Прирост национального ВРП, млрд тенге",
                        "National GRP gain, bn tenge"),
    "equity_metric": ("Теңестіру көрсеткіші", "Показатель выравнивания", "Equity metric"),
    "save_scenario": ("Сценарийді сақтау", "Сохранить сценарий", "Save scenario"),
    "load_scenario": ("Сценарийді жүктеу (YAML)", "Загрузить сценарий (YAML)", "Load a scenario (YAML)"),
    "compare": ("Салыстыру", "Сравнить", "Compare"),
    "scenario_name": ("Сценарий атауы", "Название сценария", "Scenario name"),
    "download": ("Жүктеп алу", "Скачать", "Download"),
    "measures": ("Шаралар", "Меры", "Measures"),
    "instrument": ("Құрал", "Инструмент", "Instrument"),
    "actors": ("Қатысушылар", "Участники", "Actors"),
    "government": ("Мемлекет", "Государство", "Government"),
    "business": ("Бизнес", "Бизнес", "Business"),
    "expert": ("Сарапшы", "Эксперт", "Expert"),
    "kpi": ("Негізгі көрсеткіштер", "Ключевые показатели", "KPIs"),
    "expected_effect": ("Күтілетін әсер", "Ожидаемый эффект", "Expected effect"),
    "summary": ("Қысқаша мазмұны", "Резюме", "Summary"),
    "diagnosis": ("Диагностика", "Диагностика", "Diagnosis"),
    "budget": ("Бюджет", "Бюджет", "Budget"),
    "total": ("Барлығы", "Итого", "Total"),
    "direction": ("Бағыт", "Направление", "Direction"),
    "part": ("Бөлім", "Часть", "Part"),
    "error": ("Қате", "Ошибка", "Error"),
    "unexpected_error": ("Күтпеген қате болды; мәліметтер журналда сақталды.",
                         "Произошла непредвиденная ошибка; подробности записаны в журнал.",
                         "An unexpected error occurred; the details were logged."),
    # --- roadmap document (engine/roadmap) -------------------------------------------------------------
    "class_hub": ("Агломерация орталығы (өсу полюсі)", "Центр агломерации (полюс роста)", "Agglomeration hub (growth pole)"),
    "class_problem": ("Проблемалы өңір", "Проблемный регион", "Problem region"),
    "class_lagging": ("Артта қалған өңір", "Отстающий регион", "Lagging region"),
    "class_leading": ("Алдыңғы қатарлы өңір", "Лидирующий регион", "Leading region"),
    "actor_government": ("Мемлекет", "Государство", "Government"),
    "actor_business": ("Бизнес", "Бизнес", "Business"),
    "actor_population": ("Халық", "Население", "Population"),
    "priority_agglomerations": ("Ірі қалалардың, өңірлік орталықтардың және олардың агломерацияларының жедел дамуы",
                                "Опережающее развитие крупных городов, региональных центров и их агломераций",
                                "Faster development of large cities, regional centres and their agglomerations"),
    "priority_competitive_advantages": ("Аумақтардың бәсекелестік артықшылықтарын шоғырландыру",
                                        "Концентрация конкурентных преимуществ территорий",
                                        "Concentrating territories' competitive advantages"),
    "priority_economic_distance": ("Бизнес пен халықтың басым бөлігі үшін экономикалық қашықтықты қысқарту",
                                   "Сокращение экономического расстояния для бизнеса и большей части населения",
                                   "Shorter economic distance for business and most of the population"),
    "priority_living_standards": ("Қалыпты өмір сүру деңгейі мен табыс, еңбек нарығы, жұмыспен қамту және әлеуметтік қорғау",
                                  "Нормальный уровень жизни и доходов, рынок труда, занятость и социальная защита",
                                  "A normal standard of living and income, labour market, employment and social protection"),
    "priority_territorial_justice": ("Аумақтық әділеттілік", "Территориальная справедливость", "Territorial justice"),
    "part_equity_rationale": ("Теңестіру моделі: қолдау артта қалған және проблемалы аумақтарға бағытталады, оларды елдің орташа деңгейіне жақындату үшін.",
                              "Выравнивающая модель: поддержка направляется отстающим и проблемным территориям, чтобы подтянуть их к среднему по стране уровню.",
                              "The equalizing model: support goes to lagging and problem territories to lift them towards the national average."),
    "part_efficiency_rationale": ("Поляризациялық модель: қолдау өсу полюстеріне — агломерация орталықтары мен алдыңғы қатарлы өңірлерге бағытталады, мұнда әр теңге ең көп өнім береді.",
                                  "Поляризованная модель: поддержка направляется полюсам роста — центрам агломераций и лидирующим регионам, где каждый тенге даёт наибольший выпуск.",
                                  "The polarized model: support goes to growth poles (agglomeration hubs and leading regions), where a tenge earns the most output."),
    "unit_class": ("Өңір санаты", "Категория региона", "Unit class"),
    "unit_id": ("Бірлік коды", "Код единицы", "Unit id"),
    "start_year": ("Басталу жылы", "Год начала", "Start year"),
    "end_year": ("Аяқталу жылы", "Год окончания", "End year"),
    "budget_by_year": ("Жылдар бойынша бюджет, млрд теңге", "Бюджет по годам, млрд тенге", "Budget by year, bn tenge"),
    "kpi_targets": ("Жылдар бойынша мақсатты көрсеткіштер: жан басына шаққандағы ЖӨӨ, мың теңге",
                    "Целевые показатели по годам: ВРП на душу населения, тыс. тенге",
                    "KPI targets by year: GRP per capita, thousand tenge"),
    "kpi_targets_note": ("Мақсатты мән — жоспар бойынша өңірдің жан басына шаққандағы ЖӨӨ-сі (базалық жыл бағасымен); соңғы баған — {year} жылғы саясатсыз нұсқа.",
                         "Целевое значение — ВРП на душу населения региона по плану (в ценах базового года); последний столбец — вариант без новой политики в {year} году.",
                         "A target is the region's GRP per capita under the plan (base-year prices); the last column is the value without new policy in {year}."),
    "grp_per_capita": ("Жан басына шаққандағы ЖӨӨ", "ВРП на душу населения", "GRP per capita"),
    "grp_per_capita_nonmining": ("Тау-кен өндірісінсіз жан басына шаққандағы ЖӨӨ",
                                 "ВРП на душу населения без горнодобывающей промышленности",
                                 "Non-mining GRP per capita"),
    "indicator_on": ("Көрсеткіш: {indicator}", "Показатель: {indicator}", "Indicator: {indicator}"),
    "indicator_note_grp_per_capita_nonmining": (
        "Өңірлік ЖӨӨ-ден тау-кен өндірісі мен карьерлерді игерудің (B секциясы) жалпы қосылған құны алынып, "
        "халық санына бөлінген (ҰСБ); бұл — өңірлік саясат өзгерте алатын бөлігі.",
        "Региональный ВРП за вычетом валовой добавленной стоимости горнодобывающей промышленности и разработки "
        "карьеров (секция B), на душу населения (БНС): та часть, которую может изменить региональная политика.",
        "Regional GRP less the gross value added of mining and quarrying (section B), per person (BNS): the part "
        "regional policy can move."),
    "unemployment_rate": ("Жұмыссыздық деңгейі", "Уровень безработицы", "Unemployment rate"),
    "effect_region": ("{year} ж.: жан басына ЖӨӨ {change}% (саясатсыз нұсқамен салыстырғанда), халық {population} адам",
                      "{year}: ВРП на душу {change}% к варианту без новой политики, население {population} чел.",
                      "{year}: GRP per capita {change}% vs no new policy, population {population} persons"),
    "effect_alone": ("осы шараның тікелей әсері: {change}%", "прямой эффект этой меры: {change}%",
                     "direct effect of this measure: {change}%"),
    "rule": ("Ереже", "Правило", "Rule"),
    "basis": ("Негіздеме", "Обоснование", "Basis"),
    "assumed_parameters": ("Болжамды параметрлер", "Параметры-допущения", "Assumed parameters"),
    "criterion": ("Өлшем", "Критерий", "Criterion"),
    "years": ("Жылдар", "Годы", "Years"),
    "population_change": ("Халық санының өзгерісі, адам", "Изменение численности населения, чел.", "Population change, persons"),
    "change_pct": ("Өзгеріс, %", "Изменение, %", "Change, %"),
    "alone_effect": ("Осы шараның тікелей әсері, %", "Прямой эффект этой меры, %", "Direct effect of this measure, %"),
    "note_allocation_optimizer": ("Бюджетті бөлу — оңтайландыру нәтижесі; мақсаты: {objective}.",
                                  "Распределение бюджета — результат оптимизации; цель: {objective}.",
                                  "The allocation is the optimizer's; objective: {objective}."),
    "note_allocation_file": ("Бюджетті бөлу файлдан алынды: {name}.", "Распределение бюджета взято из файла: {name}.",
                             "The allocation was read from a file: {name}."),
    "note_allocation_formula": ("Оңтайландырылған жоспар берілмеген, сондықтан бөлу формуламен жасалды: әр жылдың бюджеті бөлімдер арасында сценарийдегі теңестіру үлесі бойынша бөлінеді, бөлім ішінде — жан басына тең, өңір ішінде — құқылы бағыттар арасында тең, сіңіру шегіне дейін.",
                                "Оптимизированный план не задан, поэтому распределение построено по формуле: бюджет каждого года делится между частями по доле выравнивания из сценария, внутри части — поровну на душу населения, внутри региона — поровну между допустимыми направлениями, в пределах возможностей освоения.",
                                "No optimized plan was given, so the allocation follows a formula: each year's budget is split between the parts by the scenario's equity share, within a part equally per head, within a region equally over its eligible directions, up to what each can absorb."),
    "warn_equity_share": ("Теңестіру бөлігінің үлесі {actual}% — сценарийде талап етілген {required}%-дан төмен.",
                          "Доля части «выравнивание» {actual}% ниже требуемой сценарием {required}%.",
                          "The equity part gets {actual}%, below the {required}% the scenario requires."),
    "warn_over_budget": ("{year} ж.: бөлінген {allocated} млрд теңге бюджеттен ({budget} млрд теңге) асады.",
                         "{year}: распределено {allocated} млрд тенге, больше бюджета ({budget} млрд тенге).",
                         "{year}: {allocated} bn tenge allocated, more than the budget of {budget} bn tenge."),
    "warn_unspent": ("{year} ж.: {budget} млрд теңге бюджеттің {amount} млрд теңгесі бөлінбеді.",
                     "{year}: из бюджета {budget} млрд тенге не распределено {amount} млрд тенге.",
                     "{year}: {amount} of the {budget} bn tenge budget is not allocated."),
    "small_move_note": (
        "Бұл бюджет {year} жылы макс/мин қатынасын тек {share}% өзгертеді, проблемалы өңірлер саны {count}-ге "
        "азаяды. Көрсеткішке бағытталған жоспар не қажет ететінін «Не қажет» қойындысы көрсетеді.",
        "Этот бюджет меняет отношение макс/мин в {year} году лишь на {share}%, число проблемных регионов "
        "уменьшается на {count}. Что потребовал бы план, нацеленный на показатель, показывает вкладка «Что для этого нужно».",
        "This budget moves the max/min ratio in {year} by {share}% only and the number of problem regions by "
        "{count}. The 'What it takes' tab shows what a plan aimed at either would need."),
    "reach_small": (
        "Бұл бюджет (жылына {budget} млрд теңге) {year} жылы «{metric}» көрсеткішін тек {share}% өзгертеді: жаңа "
        "саясатсыз {without}, жоспармен {plan}.",
        "Этот бюджет ({budget} млрд тенге в год) почти не меняет показатель «{metric}» в {year} году: лишь на "
        "{share}% (без новой политики {without}, с планом {plan}).",
        "This budget ({budget} bn tenge a year) cannot move {metric} much in {year}: by {share}% only ({without} "
        "without new policy, {plan} with the plan)."),
    "reach_budget": (
        "Осыған бағытталған жоспар сіңіру шектерінің ішінде ең көбі {best} деңгейіне жетеді; {target} деңгейіне "
        "жылына шамамен {budget} млрд теңге жеткізеді (roadmap target).",
        "План, нацеленный на этот показатель, в пределах лимитов освоения достигает не более {best}; уровень "
        "{target} даёт примерно {budget} млрд тенге в год (roadmap target).",
        "A plan aimed at it reaches {best} at best within the absorption caps; about {budget} bn tenge a year "
        "gets it to {target} (roadmap target)."),
    "reach_best": (
        "Осыған бағытталған жоспар сіңіру шектерінің ішінде ең көбі {best} деңгейіне жетеді.",
        "План, нацеленный на этот показатель, в пределах лимитов освоения достигает не более {best}.",
        "A plan aimed at it reaches {best} at best within the absorption caps."),
    "reach_none": (
        "Сіңіру шектерінің ішінде ешбір бюджет оны бұдан әрі өзгертпейді.",
        "В пределах лимитов освоения никакой бюджет не меняет его сильнее.",
        "No budget within the absorption caps moves it further."),
    "warn_part_mismatch": ("Бөлудегі {count} ұяшықтың бөлім белгісі rules/roadmap.yaml ережелерімен сәйкес емес; ережелер қолданылды: {cells}",
                           "У {count} ячеек распределения метка части расходится с rules/roadmap.yaml; применены правила: {cells}",
                           "{count} allocation cell(s) carry a part tag that differs from rules/roadmap.yaml; the rules were applied: {cells}"),
    "summary_budget": ("{first}–{last} жылдарға арналған бюджет: {total} млрд теңге; бөлінгені: {allocated} млрд теңге.",
                       "Бюджет на {first}–{last} годы: {total} млрд тенге; распределено: {allocated} млрд тенге.",
                       "Budget for {first}–{last}: {total} bn tenge; allocated: {allocated} bn tenge."),
    "summary_parts": ("I бөлім (теңестіру): {equity} млрд теңге ({equity_pct}%), {equity_count} шара; II бөлім (тиімділік): {efficiency} млрд теңге, {efficiency_count} шара. Сценарийдегі теңестіру бөлігінің ең аз үлесі: {required}%.",
                      "Часть I (выравнивание): {equity} млрд тенге ({equity_pct}%), мер: {equity_count}; часть II (эффективность): {efficiency} млрд тенге, мер: {efficiency_count}. Минимальная доля выравнивания по сценарию: {required}%.",
                      "Part I (equity): {equity} bn tenge ({equity_pct}%), {equity_count} measures; Part II (efficiency): {efficiency} bn tenge, {efficiency_count} measures. Least equity share set by the scenario: {required}%."),
    "summary_criteria": ("{year} жылы екі өлшем (саясатсыз → жоспар): проблемалы өңірлер {pr_base} → {pr_plan}; ең жоғары/ең төмен арақатынасы {mm_base} → {mm_plan}; Уильямсон {w_base} → {w_plan}; Тейл {t_base} → {t_plan}.",
                         "Оба критерия в {year} году (без новой политики → план): проблемные регионы {pr_base} → {pr_plan}; соотношение максимум/минимум {mm_base} → {mm_plan}; Уильямсон {w_base} → {w_plan}; Тейл {t_base} → {t_plan}.",
                         "Both criteria in {year} (no new policy → plan): problem regions {pr_base} → {pr_plan}; max/min ratio {mm_base} → {mm_plan}; Williamson {w_base} → {w_plan}; Theil {t_base} → {t_plan}."),
    "diagnosis_text": ("{year} жыл: ең жоғары/ең төмен арақатынасы {ratio} ({max_region} / {min_region}), Уильямсон индексі {williamson}, Тейл индексі {theil}, проблемалы өңірлер саны: {problems}.",
                       "{year} год: соотношение максимум/минимум {ratio} ({max_region} / {min_region}), индекс Уильямсона {williamson}, индекс Тейла {theil}, число проблемных регионов: {problems}.",
                       "{year}: max/min ratio {ratio} ({max_region} / {min_region}), Williamson {williamson}, Theil {theil}, problem regions: {problems}."),
    "reason_below_share_of_national": ("{indicator} елдің орташа деңгейінің {threshold} үлесінен төмен",
                                       "{indicator} ниже {threshold} от среднего по стране",
                                       "{indicator} below {threshold} x the national level"),
    "reason_above_multiple_of_national": ("{indicator} елдің орташа деңгейінен {threshold} еседен жоғары",
                                          "{indicator} выше среднего по стране более чем в {threshold} раза",
                                          "{indicator} above {threshold} x the national level"),
    "reason_below_value": ("{indicator} {threshold} мәнінен төмен", "{indicator} ниже {threshold}", "{indicator} below {threshold}"),
    "reason_above_value": ("{indicator} {threshold} мәнінен жоғары", "{indicator} выше {threshold}", "{indicator} above {threshold}"),
    "no_measures": ("Бұл бөлімде шара жоқ.", "В этой части нет мер.", "This part has no measures."),
    "priorities": ("Басымдықтар", "Приоритеты", "Priorities"),
    "priorities_title": ("Интеграциялық саясаттың бес басымдығы және оларға қызмет ететін шаралар",
                         "Пять приоритетов интеграционной политики и меры, которые им служат",
                         "The five integration-policy priorities and the measures that serve them"),
    "no_measures_priority": ("Бұл басымдыққа қызмет ететін шара жоқ.", "Мер, служащих этому приоритету, нет.",
                             "No measure serves this priority."),
    "parameter": ("Параметр", "Параметр", "Parameter"),
    "range": ("Ауқым", "Диапазон", "Range"),
    "unit_of_measure": ("Өлшем бірлігі", "Единица измерения", "Unit"),
    "source": ("Дереккөз", "Источник", "Source"),
    "basis_sourced": ("жарияланған", "опубликовано", "sourced"),
    "basis_derived": ("есептелген", "рассчитано", "derived"),
    "basis_proxy": ("прокси", "прокси", "proxy"),
    "basis_assumption": ("болжам", "допущение", "assumption"),
    "overridden": ("Сценарийде өзгертілген", "Изменено сценарием", "Overridden by the scenario"),
    "yes": ("иә", "да", "yes"),
    "sources_note": ("Дереккөздер мен ереже мәтіндері жазылған тілінде (ағылшынша) келтірілген.",
                     "Источники и тексты правил приведены на языке оригинала (английском).",
                     "Sources and rule texts are quoted as recorded (in English)."),
    "roadmap_rules": ("Жол картасының ережелері", "Правила дорожной карты", "Roadmap rules"),
    "assumptions_intro": ("Нәтиже төмендегі параметрлерге сүйенеді. «Болжам» және «прокси» деп белгіленгендердің Қазақстан үшін жарияланған бағасы жоқ; олардың ауқымы нәтижеге қаншалықты сенуге болатынын көрсетеді.",
                          "Результат опирается на параметры ниже. У отмеченных как «допущение» и «прокси» нет опубликованной оценки для Казахстана; их диапазон показывает, насколько можно доверять результату.",
                          "The result rests on the parameters below. Those marked assumption or proxy have no published estimate for Kazakhstan; their range shows how far the result can be trusted."),
    "chart_allocation": ("Өңірлер мен бөлімдер бойынша бөлу, млрд теңге", "Распределение по регионам и частям, млрд тенге",
                         "Allocation by region and part, bn tenge"),
    "chart_effect": ("{year} жылы жан басына ЖӨӨ-нің саясатсыз нұсқадан өзгерісі, %",
                     "Изменение ВРП на душу населения к варианту без новой политики в {year} году, %",
                     "Change in GRP per capita vs no new policy in {year}, %"),
    "scenario": ("Сценарий", "Сценарий", "Scenario"),
    "share_of_budget": ("Бюджет үлесі, %", "Доля бюджета, %", "Share of the budget, %"),
    "measure": ("Шара", "Мера", "Measure"),
    "regions_and_classes": ("Өңірлер, олардың санаты және проблемалы өңір белгілері",
                            "Регионы, их категория и признаки проблемного региона",
                            "Regions, their class and problem-region signs"),
    "warnings": ("Ескертулер", "Предупреждения", "Warnings"),
    "document_subtitle": ("Базалық жыл {base_year}, жоспарлау кезеңі {first}–{last}",
                          "Базовый год {base_year}, горизонт {first}–{last}",
                          "Base year {base_year}, horizon {first}–{last}"),
    "kpi_intro": ("Екі тиімділік өлшемі жылдар бойынша: проблемалы өңірлер саны және өңіраралық теңсіздік (ең жоғары/ең төмен арақатынасы, Уильямсон, Тейл), саясатсыз нұсқа мен жоспар.",
                  "Оба критерия эффективности по годам: число проблемных регионов и межрегиональное неравенство (максимум/минимум, Уильямсон, Тейл), без новой политики и по плану.",
                  "Both effectiveness criteria by year: the number of problem regions and interregional inequality (max/min ratio, Williamson, Theil), without new policy and under the plan."),
    "max_min_short": ("Ең жоғары/ең төмен", "Макс./мин.", "Max/min"),
    "williamson_short": ("Уильямсон", "Уильямсон", "Williamson"),
    "theil_short": ("Тейл T", "Тейл T", "Theil T"),
    "allocation_note": ("Бюджетті бөлу тәсілі", "Способ распределения", "How the allocation was made"),
    "measures_in_part": ("{count} шара, {total} млрд теңге", "Мер: {count}, {total} млрд тенге",
                         "{count} measures, {total} bn tenge"),
    # --- what-if, frontier, roadmap and scenario pages ---------------------------------------------
    "budget_year": ("{year} жылғы бюджет, млрд теңге", "Бюджет {year} года, млрд тенге", "Budget {year}, bn tenge"),
    "budget_by_year_toggle": ("Бюджетті жыл бойынша беру", "Задать бюджет по годам", "Set the budget year by year"),
    "base_year_note": ("Базалық жыл: {year} (деректердегі соңғы толық жыл)", "Базовый год: {year} (последний полный год в данных)",
                       "Base year: {year} (the last complete year of the data)"),
    "advanced": ("Қосымша баптаулар", "Дополнительные настройки", "Advanced settings"),
    "direction_share": ("{direction}: бюджет үлесі (ең аз – ең көп)", "{direction}: доля бюджета (мин. – макс.)",
                        "{direction}: share of the budget (min – max)"),
    "cap_regions": ("Жылдық шегі бар өңірлер", "Регионы с годовым лимитом", "Regions with a yearly cap"),
    "cap_value": ("{region}: жылдық шек, млрд теңге", "{region}: годовой лимит, млрд тенге", "{region}: yearly cap, bn tenge"),
    "assumption_choice": ("{parameter}: {unit}", "{parameter}: {unit}", "{parameter}: {unit}"),
    "level_low": ("төмен", "низкое", "low"),
    "level_central": ("орталық", "центральное", "central"),
    "level_high": ("жоғары", "высокое", "high"),
    "assumption_marker": ("болжам: нәтиже осыған сүйенеді", "допущение: результат на него опирается",
                          "assumption: the result rests on it"),
    "assumptions_intro_short": ("Нәтижеге ең көп әсер ететін параметрлер. Әрқайсысының негіздемесі мен дереккөзі көрсетілген; «болжам» және «прокси» деп белгіленгендердің Қазақстан үшін жарияланған бағасы жоқ.",
                                "Параметры, сильнее всего влияющие на результат. Для каждого указаны обоснование и источник; у отмеченных «допущение» и «прокси» нет опубликованной оценки для Казахстана.",
                                "The parameters that move the results most, each with its basis and source; those marked assumption or proxy have no published estimate for Kazakhstan."),
    "parameter_capital_return": ("Мемлекеттік капиталдың қайтарымы", "Отдача государственного капитала", "Return on public capital"),
    "parameter_implementation_efficiency": ("Іске асыру тиімділігі", "Эффективность реализации", "Implementation efficiency"),
    "parameter_hub_premium": ("Агломерация орталықтарының үстемесі", "Премия центров агломераций", "Hub premium"),
    "parameter_spillover_share": ("Көршілерге таралу үлесі", "Доля перетока к соседям", "Spillover share"),
    "parameter_co_financing_ratio": ("Жеке қоса қаржыландыру", "Частное софинансирование", "Private co-financing ratio"),
    "parameter_interaction_leverage": ("Өзара іс-қимылдың күшейту әсері", "Рычаг взаимодействия", "Interaction leverage"),
    "parameter_baseline_convergence": ("Базалық жақындасу қарқыны", "Базовая скорость сближения", "Baseline convergence"),
    "parameter_baseline_real_growth": ("Базалық нақты өсу", "Базовый реальный рост", "Baseline real growth"),
    "map_measure": ("Картада", "На карте", "Map shows"),
    "map_per_capita": ("Бір тұрғынға, мың теңге (кезең бойы)", "На жителя, тыс. тенге (за горизонт)",
                       "Per resident, thousand tenge (over the horizon)"),
    "map_total": ("Барлығы, млрд теңге (кезең бойы)", "Всего, млрд тенге (за горизонт)", "Total, bn tenge (over the horizon)"),
    "trajectory_regions": ("Траекториясы көрсетілетін өңірлер", "Регионы для траекторий", "Regions to show"),
    "trajectory_title": ("Жан басына шаққандағы ЖӨӨ, мың теңге: саясатсыз және жоспар бойынша",
                         "ВРП на душу населения, тыс. тенге: без новой политики и по плану",
                         "GRP per capita, thousand tenge: no new policy and the plan"),
    "inequality_by_year": ("Теңсіздік жылдар бойынша", "Неравенство по годам", "Inequality by year"),
    "spent_bn": ("Бөлінгені, млрд теңге", "Распределено, млрд тенге", "Allocated, bn tenge"),
    "reduction_per_bn": ("{metric}: 1 млрд теңгеге азаюы", "{metric}: снижение на 1 млрд тенге", "{metric}: reduction per bn tenge"),
    "growth_per_bn": ("1 млрд теңгеге ЖӨӨ өсімі, млрд теңге", "Прирост ВРП на 1 млрд тенге, млрд тенге", "GRP gain per bn tenge, bn tenge"),
    "optimized_plan": ("Оңтайландырылған жоспар", "Оптимизированный план", "Optimized plan"),
    "formula_equal_per_capita": ("Жан басына тең", "Поровну на душу населения", "Equal per capita"),
    "formula_gap_proportional": ("Орташадан артта қалуға пропорционал", "Пропорционально отставанию от среднего",
                                 "Proportional to the gap below the average"),
    "formula_eu_style": ("ЕО әдісі (халық × артта қалу)", "Метод ЕС (население × отставание)", "EU method (population × gap)"),
    "formula_baselines_note": ("Сол бюджет қарапайым формулалармен бөлініп, жоспар сияқты модельденген; азаю оң болса — жақсару.",
                               "Тот же бюджет, распределённый простыми формулами и смоделированный так же, как план; положительное снижение — улучшение.",
                               "The same budget shared by simple formulas and simulated like the plan; a positive reduction is an improvement."),
    "shadow_lowers": ("{year} жылы тағы 1 млрд теңге «{metric}» көрсеткішін {value} шамасына азайтады.",
                      "Ещё 1 млрд тенге в {year} году снижает «{metric}» на {value}.",
                      "One more billion tenge in {year} lowers “{metric}” by {value}."),
    "shadow_raises": ("{year} жылы тағы 1 млрд теңге «{metric}» көрсеткішін {value} шамасына арттырады.",
                      "Ещё 1 млрд тенге в {year} году повышает «{metric}» на {value}.",
                      "One more billion tenge in {year} raises “{metric}” by {value}."),
    "shadow_none": ("{year} жылы тағы 1 млрд теңге «{metric}» көрсеткішін өзгертпейді (ағымдағы базис шегінде).",
                    "Ещё 1 млрд тенге в {year} году не меняет «{metric}» (в пределах текущего базиса).",
                    "One more billion tenge in {year} does not change “{metric}” (within the current basis)."),
    "shadow_growth": ("Көрсеткішті оңтайлы деңгейде ұстай отырып жұмсалса, кезең ішінде ұлттық ЖӨӨ-ге {growth} млрд теңге қосады.",
                      "Если потратить его, удерживая показатель на оптимуме, он добавит {growth} млрд тенге национального ВРП за горизонт.",
                      "Spent with the metric held at its optimum, it adds {growth} bn tenge to national GRP over the horizon."),
    "shadow_unavailable": ("Бұл жоспар үшін көлеңкелі баға жоқ.", "Для этого плана теневой цены нет.",
                           "There is no shadow price for this plan."),
    "shadow_note": ("Бұл — ағымдағы базис шегіндегі шекті мән: шағын өзгерістерге ғана жарамды.",
                    "Это предельная ценность в пределах текущего базиса: она верна для небольших изменений.",
                    "A marginal value within the current basis: it holds for small changes."),
    "metric_min_grp_per_capita": ("ең төмен жан басына ЖӨӨ", "наименьший ВРП на душу", "lowest GRP per capita"),
    "metric_shortfall": ("орташадан кемшілік", "отставание от среднего", "shortfall below the average"),
    "metric_share_pop_below_75pct": ("орташаның 75%-ынан төмен өңірлердегі халық үлесі",
                                     "доля населения в регионах ниже 75% среднего",
                                     "share of people in units below 75% of the national level"),
    "metric_blend_score": ("үйлесім бағасы", "оценка сочетания", "blend score"),
    "english_only_note": ("Бұл мәтіндерді есептеу модулі ағылшын тілінде жазады.", "Эти тексты расчётный модуль пишет на английском.",
                          "These texts are written by the engine in English."),
    "status_optimal": ("Оңтайлы жоспар табылды", "Найден оптимальный план", "Optimal plan found"),
    "status_time_limit_feasible": ("Уақыт шегінде жарамды жоспар табылды (оңтайлылығы дәлелденбеген)",
                                   "Допустимый план найден за отведённое время (оптимальность не доказана)",
                                   "A feasible plan within the time limit (optimality not proven)"),
    "status_infeasible": ("Сценарий орындалмайды: барлық шектеуді бір мезгілде сақтау мүмкін емес",
                          "Сценарий недопустим: все ограничения одновременно выполнить нельзя",
                          "The scenario is infeasible: its constraints cannot all hold"),
    "status_unbounded": ("Есеп шектелмеген", "Задача не ограничена", "The problem is unbounded"),
    "status_error": ("Шешуші қатемен аяқталды", "Решатель завершился с ошибкой", "The solver failed"),
    "conflicts": ("Бір-біріне қайшы талаптар", "Противоречащие требования", "Conflicting requirements"),
    "relaxations": ("Жоспар табылуы үшін не өзгеруі керек", "Что должно уступить, чтобы план нашёлся",
                    "What would have to give for a plan to exist"),
    "conflict_line": ("{rules}: {amount} млрд теңге жетпейді", "{rules}: не хватает {amount} млрд тенге",
                      "{rules}: short by {amount} bn tenge"),
    "relax_line": ("{rule}: кезең бойы {amount} млрд теңгеге", "{rule}: на {amount} млрд тенге за горизонт",
                   "{rule}: by {amount} bn tenge over the horizon"),
    "rule_direction_min": ("«{direction}» бағытының ең аз үлесі", "минимальная доля направления «{direction}»",
                           "least share of “{direction}”"),
    "rule_direction_max": ("«{direction}» бағытының ең көп үлесі", "максимальная доля направления «{direction}»",
                           "largest share of “{direction}”"),
    "rule_capacity": ("игеру мүмкіндігі", "возможности освоения", "absorption capacity"),
    "rule_budget": ("бюджет", "бюджет", "budget"),
    "rule_unit_cap": ("өңірдің жылдық шегі", "годовой лимит региона", "a region's yearly cap"),
    "engine_details": ("Толығырақ (ағылшынша)", "Подробности (на английском)", "Details (in English)"),
    "plan_summary": ("Бөлінгені: {spent} млрд теңге; I бөлім (теңестіру): {equity}%",
                     "Распределено: {spent} млрд тенге; часть I (выравнивание): {equity}%",
                     "Allocated: {spent} bn tenge; Part I (equity): {equity}%"),
    "solved_in": ("Есептеу уақыты: {seconds} с", "Время расчёта: {seconds} с", "Solved in {seconds} s"),
    "hold_note": ("Бұл — шекара нүктесінің жоспары: «{metric}» {level} деңгейінде ұсталып, ұлттық ЖӨӨ барынша арттырылған.",
                  "Это план точки границы: наибольший национальный ВРП при «{metric}» не хуже {level}.",
                  "This is a frontier point's plan: the most national GRP with “{metric}” held at {level}."),
    "back_to_objective": ("Мақсат бойынша қайта есептеу", "Снова решить по цели", "Solve for the objective again"),
    "by_direction_and_part": ("Бағыттар мен бөлімдер бойынша бөлу, млрд теңге", "Распределение по направлениям и частям, млрд тенге",
                              "Allocation by direction and part, bn tenge"),
    "no_plan": ("Жоспар жоқ", "Плана нет", "No plan"),
    "frontier_intro": ("Әр нүкте — теңестіру көрсеткішінің берілген деңгейінде ұлттық ЖӨӨ-нің ең көп өсімі (сценарийдің бюджеті мен шектеулері сақталады).",
                       "Каждая точка — наибольший прирост национального ВРП при заданном уровне показателя выравнивания (бюджет и ограничения сценария сохраняются).",
                       "Each point is the most national GRP gain for a level of the equity metric, within the scenario's budget and constraints."),
    "frontier_computing": ("Шекара есептелуде: {points} нүкте…", "Расчёт границы: {points} точек…", "Tracing the frontier: {points} points…"),
    "frontier_point": ("Нүкте", "Точка", "Point"),
    "point_label": ("{n}: {metric} = {value}; ЖӨӨ өсімі {growth} млрд теңге", "{n}: {metric} = {value}; прирост ВРП {growth} млрд тенге",
                    "{n}: {metric} = {value}; GRP gain {growth} bn tenge"),
    "point_taken": ("Нүктенің жоспары енді сценарий талдауының жоспары.", "План точки стал планом анализа «что если».",
                    "The point's plan is now the what-if plan."),
    "no_frontier": ("Шекара құрылмады", "Границу построить не удалось", "No frontier could be traced"),
    "frontier_for": ("Сценарий: {name}", "Сценарий: {name}", "Scenario: {name}"),
    "chosen_point": ("Таңдалған нүкте", "Выбранная точка", "Chosen point"),
    "downloads": ("Жүктеп алу", "Скачать", "Downloads"),
    "download_format": ("{fmt} жүктеп алу", "Скачать {fmt}", "Download {fmt}"),
    "roadmap_no_plan": ("Бұл сценарийдің жоспары жоқ; себебін «Сценарий талдауы» бетінен қараңыз.",
                        "У этого сценария нет плана; причины — на странице «Анализ «что если»».",
                        "This scenario has no plan; see the What-if page for why."),
    "roadmap_building": ("Жол картасы құрылуда…", "Составляется дорожная карта…", "Building the roadmap…"),
    "current_scenario": ("Ағымдағы сценарий", "Текущий сценарий", "Current scenario"),
    "download_yaml": ("YAML жүктеп алу", "Скачать YAML", "Download YAML"),
    "saved_in_session": ("Осы сессияда сақталды: {name}", "Сохранено в этой сессии: {name}", "Saved in this session: {name}"),
    "saved_in_store": ("Қоймада сақталды: {name} (нұсқа {version})", "Сохранено в хранилище: {name} (версия {version})",
                       "Saved in the store: {name} (version {version})"),
    "store_unavailable": ("Сценарийлер қоймасы қолжетімсіз; сценарийлер тек осы сессияда сақталады.",
                          "Хранилище сценариев недоступно; сценарии сохраняются только в этой сессии.",
                          "The scenario store is not available; scenarios are kept in this session only."),
    "store_conflict": ("Қоймаға сақталмады (атау бос емес немесе сценарийді басқа біреу өзгертті):",
                       "В хранилище не сохранено (имя занято или сценарий изменил кто-то другой):",
                       "Not saved in the store (the name is taken or someone else changed the scenario):"),
    "overwrite_store": ("Қоймадағы нұсқаны ауыстыру", "Заменить версию в хранилище", "Replace the version in the store"),
    "loaded_scenario": ("Жүктелді: {name}", "Загружено: {name}", "Loaded: {name}"),
    "use_in_whatif": ("Сценарий талдауында қолдану", "Использовать в анализе «что если»", "Use in the what-if page"),
    "saved_scenarios": ("Сақталған сценарийлер", "Сохранённые сценарии", "Saved scenarios"),
    "stored_scenarios": ("Қоймадағы сценарийлер", "Сценарии в хранилище", "Scenarios in the store"),
    "add_from_store": ("Қоймадан қосу", "Добавить из хранилища", "Add from the store"),
    "compare_pick": ("Салыстырылатын сценарийлер (екі не одан көп)", "Сценарии для сравнения (два или больше)",
                     "Scenarios to compare (two or more)"),
    "compare_need_two": ("Салыстыру үшін кемінде екі сценарий таңдаңыз.", "Выберите хотя бы два сценария для сравнения.",
                         "Choose at least two scenarios to compare."),
    "compare_metrics": ("Кезең соңындағы көрсеткіштер", "Показатели на конец горизонта", "Metrics at the horizon"),
    "hold_not_saved": ("Шекара нүктесіндегі шектеу YAML-ға кірмейді: сақталған сценарий өз мақсаты бойынша шешіледі.",
                       "Условие точки границы не входит в YAML: сохранённый сценарий решается по своей цели.",
                       "A frontier point's hold is not part of the YAML: the saved scenario is solved for its objective."),
    "scenario_upload_limit": ("YAML файлы, ең көбі 1 МБ", "Файл YAML, не более 1 МБ", "A YAML file of at most 1 MB"),
    "no_saved_scenarios": ("Әзірге сақталған сценарий жоқ.", "Сохранённых сценариев пока нет.", "No saved scenarios yet."),
}

# --- workshop pages --------------------------------------------------------------------------------------
_TEXT.update({
    "page_ws_facilitator": ("Семинар: жүргізуші", "Семинар: ведущий", "Workshop: facilitator"),
    "page_ws_participant": ("Семинар: қатысушы", "Семинар: участник", "Workshop: participant"),
    "ws_create_title": ("Жаңа семинар құру", "Создать семинар", "Create a workshop"),
    "ws_name": ("Семинар атауы", "Название семинара", "Workshop name"),
    "ws_template": ("Сценарий үлгісі", "Шаблон сценария", "Scenario template"),
    "ws_template_upload_option": ("Өз YAML файлымды жүктеймін", "Загружу свой YAML-файл", "Upload my own YAML file"),
    "ws_template_upload": ("Сценарий үлгісі (YAML, 1 МБ-қа дейін)", "Шаблон сценария (YAML, до 1 МБ)",
                           "Scenario template (YAML, up to 1 MB)"),
    "ws_budget": ("Жылдық бюджет, млрд теңге (бос қалса — үлгідегі бюджет)",
                  "Бюджет в год, млрд тенге (пусто — бюджет шаблона)",
                  "Yearly budget, bn tenge (empty: the template's budget)"),
    "ws_create": ("Семинарды құру", "Создать семинар", "Create the workshop"),
    "ws_need_name": ("Семинар атауын жазыңыз.", "Укажите название семинара.", "Give the workshop a name."),
    "ws_need_upload": ("Үлгі файлын жүктеңіз.", "Загрузите файл шаблона.", "Upload a template file."),
    "ws_created": ("«{name}» семинары құрылды.", "Семинар «{name}» создан.", "Workshop “{name}” created."),
    "ws_join_code": ("Қосылу коды (қатысушыларға беріңіз)", "Код для входа (передайте участникам)",
                     "Join code (give it to the participants)"),
    "ws_key_once": ("Жүргізуші кілті төменде. Ол тек қазір, бір рет көрсетіледі және оны қалпына келтіру мүмкін емес: "
                    "көшіріп алып, қауіпсіз жерде сақтаңыз. Кілтсіз семинарды басқара алмайсыз. Оны қатысушыларға "
                    "бермеңіз.",
                    "Ниже — ключ ведущего. Он показан только сейчас, один раз, и восстановить его нельзя: скопируйте "
                    "его и сохраните в надёжном месте. Без ключа управлять семинаром невозможно. Не передавайте его "
                    "участникам.",
                    "Below is the facilitator key. It is shown only now, once, and cannot be recovered: copy it and "
                    "keep it somewhere safe. Without it you cannot manage the workshop. Do not give it to the "
                    "participants."),
    "ws_key_saved": ("Кілтті сақтадым", "Я сохранил(а) ключ", "I have saved the key"),
    "ws_open_title": ("Бар семинарды ашу", "Открыть существующий семинар", "Open an existing workshop"),
    "ws_fac_key": ("Жүргізуші кілті", "Ключ ведущего", "Facilitator key"),
    "ws_open": ("Ашу", "Открыть", "Open"),
    "ws_leave": ("Шығу", "Выйти", "Leave"),
    "ws_reload": ("Қайта жүктеу", "Обновить", "Reload"),
    "ws_status": ("Күйі: {status} · нұсқа {version}", "Статус: {status} · версия {version}",
                  "Status: {status} · version {version}"),
    "ws_status_open": ("ашық", "открыт", "open"),
    "ws_status_closed": ("жабық", "закрыт", "closed"),
    "ws_status_adopted": ("жол картасы қабылданды", "дорожная карта принята", "roadmap adopted"),
    "ws_budget_line": ("Үлгі: {template} · жылдық бюджет: {budget} млрд теңге",
                       "Шаблон: {template} · бюджет в год: {budget} млрд тенге",
                       "Template: {template} · yearly budget: {budget} bn tenge"),
    "ws_participants": ("Қатысушылар", "Участники", "Participants"),
    "ws_no_participants": ("Әзірге ешкім қосылған жоқ.", "Пока никто не присоединился.", "Nobody has joined yet."),
    "ws_submissions": ("Қатысушылардың ұсыныстары", "Предложения участников", "Submissions"),
    "ws_no_submissions": ("Әзірге ұсыныс жоқ.", "Предложений пока нет.", "No submissions yet."),
    "ws_display_name": ("Аты", "Имя", "Name"),
    "ws_role": ("Рөлі", "Роль", "Role"),
    "ws_role_government": ("Мемлекет", "Государство", "Government"),
    "ws_role_business": ("Бизнес", "Бизнес", "Business"),
    "ws_role_population": ("Халық", "Население", "Population"),
    "ws_role_expert": ("Сарапшы", "Эксперт", "Expert"),
    "ws_joined_at": ("Қосылған уақыты", "Время входа", "Joined"),
    "ws_updated_at": ("Жаңартылған уақыты", "Обновлено", "Updated"),
    "ws_version": ("Нұсқа", "Версия", "Version"),
    "ws_changes_count": ("Бөлудегі өзгерістер саны", "Изменений распределения", "Allocation changes"),
    "ws_submitted": ("Ұсыныс берді", "Подал(а) предложение", "Submitted"),
    "ws_aggregate": ("Жиынтық басымдықтар", "Сводные приоритеты", "Aggregate priorities"),
    "ws_rule_title": ("Жарияланған ереже", "Опубликованное правило", "The published rule"),
    "ws_rule_median": ("Әр бағыт бойынша қатысушылар үлестерінің медианасы алынады, содан кейін медианалар қосындысы "
                       "1-ге тең болатындай қайта нормаланады (барлық медиана 0 болса — орташа үлестер). Теңестіру "
                       "бөлігінің үлесі — қатысушылар үлестерінің медианасы. Рөліне қарамастан әр ұсыныс бір рет "
                       "есептеледі; рөлдер бойынша медианалар тек ақпарат үшін көрсетіледі. Медиана таңдалды, себебі "
                       "бір қатысушының шеткі пікірі оны алысқа жылжыта алмайды.",
                       "Для каждого направления берётся медиана долей участников, затем медианы нормируются так, "
                       "чтобы их сумма была равна 1 (если все медианы равны 0 — средние доли). Доля части "
                       "«выравнивание» — медиана долей участников. Каждое предложение учитывается один раз, "
                       "независимо от роли; медианы по ролям показаны только для справки. Медиана выбрана потому, "
                       "что крайнее мнение одного участника не может сильно её сдвинуть.",
                       "For each direction the median of the participants' shares is taken, then the medians are "
                       "rescaled to sum to 1 (if every median is 0, the mean shares are used). The equity share is "
                       "the median of the participants' equity shares. Every submission counts once, whatever the "
                       "role; medians by role are shown for information only. The median is used because one "
                       "participant's extreme view cannot move it far."),
    "ws_rule_borda": ("Борда әдісі: n кандидаттың ішінде k-орынға (0 — бірінші) қойылған кандидат n−1−k ұпай алады, "
                      "бюллетеньде жоқ кандидат 0 ұпай алады. Ұпайы тең кандидаттар бір орынды бөліседі.",
                      "Метод Борда: кандидат на месте k (0 — первое) из n получает n−1−k баллов, не указанный в "
                      "бюллетене — 0. Кандидаты с равными баллами делят место.",
                      "Borda count: a candidate in place k (0 = first) of n earns n−1−k points; a candidate left off "
                      "a ballot earns 0. Candidates with equal points share a rank."),
    "ws_by_role": ("Рөлдер бойынша медиана (ақпарат үшін)", "Медиана по ролям (для справки)",
                   "Median by role (for information)"),
    "ws_aggregate_plan": ("Жиынтық басымдықтар бойынша жоспар", "План по сводным приоритетам",
                          "The plan of the aggregate priorities"),
    "ws_candidates": ("Сценарий-кандидаттар", "Сценарии-кандидаты", "Candidate scenarios"),
    "ws_no_candidates": ("Әзірге кандидат жоқ.", "Кандидатов пока нет.", "No candidates yet."),
    "ws_add_aggregate": ("Жиынтықты кандидат ретінде қосу", "Добавить сводный вариант", "Add the aggregate"),
    "ws_add_participants": ("Әр қатысушының жоспарын қосу", "Добавить план каждого участника",
                            "Add each participant's plan"),
    "ws_add_template": ("Үлгіні кандидат ретінде қосу", "Добавить шаблон как кандидата",
                        "Add a template as a candidate"),
    "ws_workshop_template": ("Семинардың өз үлгісі", "Собственный шаблон семинара", "The workshop's own template"),
    "ws_candidate_title": ("Кандидат атауы", "Название кандидата", "Candidate title"),
    "ws_template_budget_note": ("Салыстыруға болатындай, үлгіге семинардың жылдық бюджеті қойылады.",
                                "Чтобы кандидатов можно было сравнивать, в шаблон подставляется бюджет семинара.",
                                "The workshop's yearly budget is put into the template so candidates compare."),
    "ws_added": ("Қосылды: {titles}", "Добавлено: {titles}", "Added: {titles}"),
    "ws_nothing_added": ("Жаңа кандидат жоқ: бәрі бұрын қосылған.", "Новых кандидатов нет: все уже добавлены.",
                         "No new candidates: all were added before."),
    "ws_source": ("Көзі", "Источник", "Source"),
    "ws_source_aggregate": ("жиынтық", "сводный", "aggregate"),
    "ws_source_participant": ("қатысушы", "участник", "participant"),
    "ws_source_facilitator": ("жүргізуші", "ведущий", "facilitator"),
    "ws_ranking": ("Кандидаттар рейтингі (Борда әдісі)", "Рейтинг кандидатов (метод Борда)",
                   "Ranking of the candidates (Borda count)"),
    "ws_ballots": ("Есептелген бюллетеньдер: {count}", "Учтено бюллетеней: {count}", "Ballots counted: {count}"),
    "ws_rank": ("Орны", "Место", "Rank"),
    "ws_points": ("Ұпай", "Баллы", "Points"),
    "ws_first_places": ("Бірінші орындар", "Первых мест", "First places"),
    "ws_tied": ("Тең ұпай", "Поровну", "Tied"),
    "ws_compare_candidates": ("Кандидаттардың екі өлшемін есептеу", "Рассчитать оба критерия для кандидатов",
                              "Compute both criteria for every candidate"),
    "ws_adopt_title": ("Жол картасын қабылдау", "Принятие дорожной карты", "Adopt the roadmap"),
    "ws_adopt_pick": ("Кандидат", "Кандидат", "Candidate"),
    "ws_adopt": ("Осы кандидатты семинардың жол картасы ретінде қабылдау",
                 "Принять этого кандидата как дорожную карту семинара",
                 "Adopt this candidate as the workshop's roadmap"),
    "ws_adopted": ("Жол картасы қабылданды: сақталған сценарий № {id}. Ұсыныстар мен дауыс беру жабылды.",
                   "Дорожная карта принята: сохранённый сценарий № {id}. Приём предложений и голосование закрыты.",
                   "Roadmap adopted: saved scenario no. {id}. Submissions and voting are closed."),
    "ws_close": ("Семинарды жабу (ұсыныстар мен дауыстар қабылданбайды)",
                 "Закрыть семинар (предложения и голоса больше не принимаются)",
                 "Close the workshop (no more submissions or votes)"),
    "ws_reopen": ("Семинарды қайта ашу", "Открыть семинар снова", "Open the workshop again"),
    "ws_export": ("Семинарды экспорттау", "Экспорт семинара", "Export the workshop"),
    "ws_export_json": ("JSON жүктеп алу", "Скачать JSON", "Download JSON"),
    "ws_export_csv": ("CSV жүктеп алу", "Скачать CSV", "Download CSV"),
    "ws_conflict": ("Бұл деректі сіз жүктегеннен кейін басқа біреу өзгертті; ештеңе сақталған жоқ. «Қайта жүктеу» "
                    "батырмасын басып, қайталаңыз.",
                    "Эти данные изменились после того, как вы их загрузили; ничего не сохранено. Нажмите "
                    "«Обновить» и повторите.",
                    "This was changed after you loaded it; nothing was saved. Press Reload and try again."),
    "ws_denied": ("Кілт немесе токен жарамсыз: оның толық көшірілгенін тексеріңіз.",
                  "Ключ или токен недействителен: проверьте, что он скопирован полностью.",
                  "The key or token is not valid: check that it was copied whole."),
    "ws_state_error": ("Семинардың қазіргі күйінде бұл әрекет мүмкін емес.",
                       "В текущем состоянии семинара это действие невозможно.",
                       "The workshop's current state does not allow this."),
    "ws_not_found": ("Сұралған нысан табылмады.", "Запрошенный объект не найден.", "The item asked for was not found."),
    "ws_details": ("Толығырақ (ағылшынша)", "Подробности (на английском)", "Details"),
    "ws_join_title": ("Семинарға қосылу", "Присоединиться к семинару", "Join a workshop"),
    "ws_code": ("Қосылу коды", "Код для входа", "Join code"),
    "ws_join": ("Қосылу", "Присоединиться", "Join"),
    "ws_name_taken": ("Бұл семинарда мұндай атпен қатысушы бар; басқа атты таңдаңыз.",
                      "В этом семинаре уже есть участник с таким именем; выберите другое.",
                      "Someone in this workshop already has this name; choose another."),
    "ws_token_once": ("Қатысушы токені төменде. Ол тек қазір, бір рет көрсетіледі: сақтап қойыңыз — бет жаңартылғаннан "
                      "кейін немесе басқа құрылғыдан өз ұсынысыңызға оралу үшін қажет. Оны ешкімге бермеңіз.",
                      "Ниже — токен участника. Он показан только сейчас, один раз: сохраните его — он нужен, чтобы "
                      "вернуться к своему предложению после перезагрузки страницы или с другого устройства. Никому "
                      "его не передавайте.",
                      "Below is your participant token. It is shown only now, once: keep it. You need it to come back "
                      "to your submission after a reload or from another device. Do not share it."),
    "ws_token_saved": ("Токенді сақтадым", "Я сохранил(а) токен", "I have saved the token"),
    "ws_resume_title": ("Токенмен оралу", "Вернуться по токену", "Resume with your token"),
    "ws_token": ("Қатысушы токені", "Токен участника", "Participant token"),
    "ws_resume": ("Оралу", "Вернуться", "Resume"),
    "ws_you_are": ("Сіз: {name} ({role}) · семинар «{workshop}» · {status}",
                   "Вы: {name} ({role}) · семинар «{workshop}» · {status}",
                   "You: {name} ({role}) · workshop “{workshop}” · {status}"),
    "ws_your_priorities": ("Сіздің басымдықтарыңыз", "Ваши приоритеты", "Your priorities"),
    "ws_weights_help": ("Әр бағыттың маңыздылығы 0-ден 100-ге дейін; салмақтар бюджет үлестеріне айналдырылады.",
                        "Важность каждого направления от 0 до 100; веса переводятся в доли бюджета.",
                        "How much each direction matters, from 0 to 100; the weights become shares of the budget."),
    "ws_equity_pct": ("Теңестіру бөлігінің ең аз үлесі, %", "Минимальная доля части «выравнивание», %",
                      "Least share of the equity part, %"),
    "ws_share_asked": ("Сіздің салмағыңыз, %", "Ваш вес, %", "Your weight, %"),
    "ws_share_fitted": ("Игеру мүмкіндігіне келтірілген үлес, %", "Доля с учётом возможностей освоения, %",
                        "Share fitted to what the direction can absorb, %"),
    "ws_fit_note": ("Бағыт өзіне бөлінгеннен көп игере алмаса, артығы басқа бағыттарға олардың салмағына сай "
                    "беріледі.",
                    "Если направление не может освоить свою долю, излишек передаётся другим направлениям "
                    "пропорционально их весам.",
                    "When a direction cannot absorb its share, the rest goes to the other directions in proportion "
                    "to their weights."),
    "ws_weights_zero": ("Кем дегенде бір бағыттың салмағы 0-ден жоғары болуы керек.",
                        "Хотя бы у одного направления вес должен быть больше 0.",
                        "At least one direction needs a weight above 0."),
    "ws_changes_title": ("Бюджетті бөлуге өзгерістер (міндетті емес)", "Изменения распределения (необязательно)",
                         "Changes to the allocation (optional)"),
    "ws_changes_help": ("Өзгеріс жоспардағы сомаға қосылады (теріс мән азайтады); жыл таңдалмаса, кезеңнің әр жылына "
                        "қолданылады. Қосылған қаражат бюджеттен тыс есептеледі.",
                        "Изменение добавляется к сумме плана (отрицательное — уменьшает её); если год не выбран, "
                        "оно применяется к каждому году горизонта. Добавленные средства идут сверх бюджета.",
                        "A change is added to the plan's amount (a negative one takes away); with no year it applies "
                        "to every year of the horizon. Money added is on top of the budget."),
    "ws_change_year": ("Жыл", "Год", "Year"),
    "ws_every_year": ("әр жыл", "каждый год", "every year"),
    "ws_change_amount": ("Өзгеріс, млрд теңге", "Изменение, млрд тенге", "Change, bn tenge"),
    "ws_change_note": ("Түсініктеме", "Комментарий", "Note"),
    "ws_change_zero": ("Нөлден өзге соманы жазыңыз.", "Укажите ненулевую сумму.", "Enter an amount other than zero."),
    "ws_change_add": ("Өзгерісті қосу", "Добавить изменение", "Add the change"),
    "ws_change_remove": ("Таңдалған өзгерістерді алып тастау", "Убрать выбранные изменения",
                         "Remove the chosen changes"),
    "ws_changes_none": ("Өзгеріс жоқ.", "Изменений нет.", "No changes."),
    "ws_changes_problems": ("Өзгерістер осы жоспарға сәйкес келмейді; оларды түзетіңіз, сонда ғана жіберуге болады:",
                            "Изменения не подходят к этому плану; исправьте их, чтобы отправить:",
                            "The changes do not fit this plan; correct them to submit:"),
    "ws_changes_added": ("Өзгерістер жоспарға {amount} млрд теңге қосады (бюджеттен тыс).",
                         "Изменения добавляют к плану {amount} млрд тенге (сверх бюджета).",
                         "The changes add {amount} bn tenge to the plan (on top of the budget)."),
    "ws_with_changes": ("Жоспар және сіздің өзгерістеріңіз", "План с вашими изменениями", "Plan with your changes"),
    "ws_your_plan": ("Сіздің басымдықтарыңыз бойынша жоспар", "План по вашим приоритетам",
                     "The plan for your priorities"),
    "ws_submit": ("Басымдықтарды жіберу", "Отправить приоритеты", "Submit my priorities"),
    "ws_submitted_ok": ("Сақталды (нұсқа {version}).", "Сохранено (версия {version}).", "Saved (version {version})."),
    "ws_saved_version": ("Сақталған ұсыныс: нұсқа {version}, {when}.", "Сохранённое предложение: версия {version}, {when}.",
                         "Saved submission: version {version}, {when}."),
    "ws_not_submitted": ("Сіз әлі ұсыныс жібермедіңіз.", "Вы ещё не отправили предложение.",
                         "You have not submitted yet."),
    "ws_vote_title": ("Кандидаттарға дауыс беру", "Голосование за кандидатов", "Vote on the candidates"),
    "ws_vote_help": ("Кандидаттарды ең жақсысынан бастап ретімен таңдаңыз: таңдау реті — сіздің рейтингіңіз.",
                     "Выбирайте кандидатов по порядку, начиная с лучшего: порядок выбора — ваш рейтинг.",
                     "Pick the candidates in order, best first: the order you pick them in is your ranking."),
    "ws_ballot": ("Сіздің рейтингіңіз (ең жақсысы бірінші)", "Ваш рейтинг (лучший первым)", "Your ranking (best first)"),
    "ws_vote": ("Дауыс беру", "Проголосовать", "Cast my vote"),
    "ws_voted": ("Бюллетеніңіз сақталды (нұсқа {version}).", "Ваш бюллетень сохранён (версия {version}).",
                 "Your ballot is saved (version {version})."),
    "ws_vote_need": ("Кем дегенде бір кандидатты таңдаңыз.", "Выберите хотя бы одного кандидата.",
                     "Pick at least one candidate."),
    "ws_closed_note": ("Семинар жабық: ұсыныс беру мен дауыс беру енді мүмкін емес.",
                       "Семинар закрыт: отправлять предложения и голосовать больше нельзя.",
                       "The workshop is closed: submitting and voting are no longer possible."),
    "ws_adopted_note": ("Семинар жол картасын қабылдады: «{title}».", "Семинар принял дорожную карту: «{title}».",
                        "The workshop adopted its roadmap: “{title}”."),
    "ws_criteria": ("Екі өлшем: проблемалы өңірлер саны және өңіраралық теңсіздік ({year} ж.)",
                    "Два критерия: число проблемных регионов и межрегиональное неравенство ({year} г.)",
                    "Both criteria: the number of problem regions and interregional inequality ({year})"),
    "ws_vs_baseline": ("саясатсыз нұсқамен салыстырғанда", "к варианту без новой политики", "vs no new policy"),
    "ws_engine_text_note": ("Түсіндірмелер мен тексеру хабарламалары ағылшын тілінде.",
                            "Пояснения и сообщения проверки — на английском.",
                            "Explanations and check messages are in English."),
    "ws_spending_title": ("Бағыттар мен бөлімдер бойынша бөлу, кезеңге млрд теңге",
                          "Распределение по направлениям и частям, млрд тенге за горизонт",
                          "Allocation by direction and part, bn tenge over the horizon"),
    "ws_not_solved": ("Бұл басымдықтар үшін жоспар табылмады (күйі: {status}).",
                      "Для этих приоритетов план не найден (статус: {status}).",
                      "No plan was found for these priorities (status: {status})."),
    "ws_spent": ("Бөлінгені: {spent} / {budget} млрд теңге", "Распределено: {spent} из {budget} млрд тенге",
                 "Allocated: {spent} of {budget} bn tenge"),
    "ws_candidate_criteria": ("Кандидаттардың екі өлшемі", "Оба критерия кандидатов", "Both criteria of the candidates"),
    "ws_aggregate_candidate": ("{count} ұсыныстың медианасы", "Медиана предложений ({count})",
                               "Median of {count} submissions"),
    "ws_equity_share_short": ("Теңестіру үлесі, %", "Доля выравнивания, %", "Equity share, %"),
    "ws_raw_median": ("Медиана (нормалауға дейін), %", "Медиана (до нормировки), %", "Median (before rescaling), %"),
    "ws_who_can_see": ("Ұсынысыңызды тек өзіңіз және жүргізуші көреді.",
                       "Ваше предложение видите только вы и ведущий.",
                       "Only you and the facilitator see your submission."),
})


# --- robustness ---------------------------------------------------------------------------------------
_TEXT.update({
    "page_robustness": ("Орнықтылық", "Устойчивость", "Robustness"),
    "robustness_intro": (
        "Модель болжамдары белгісіз. Әр есептеуде параметрлер өз төмен–жоғары аралығынан таңдалады (латын гиперкубы), әр жоспар дәл бағаланады және сол болжамдар үшін ең жақсы жоспармен салыстырылады (өкініш).",
        "Допущения модели неопределённы. В каждом прогоне параметры выбираются из их диапазона «низкое–высокое» (латинский гиперкуб), каждый план оценивается точно и сравнивается с лучшим планом при тех же допущениях (сожаление).",
        "The model's assumptions are uncertain. Each draw takes the parameters from their low–high ranges (Latin hypercube); every plan is evaluated exactly and compared with the best plan under the same draw (regret)."),
    "sweep_for": ("Сценарий: {name}", "Сценарий: {name}", "Scenario: {name}"),
    "draws": ("Есептеулер саны", "Число прогонов", "Number of draws"),
    "seed": ("Кездейсоқ сан тұқымы", "Начальное число генератора", "Random seed"),
    "run_sweep": ("Орнықтылықты тексеру", "Проверить устойчивость", "Run the robustness sweep"),
    "sweep_progress": ("Есептелді: {done} / {total}", "Выполнено прогонов: {done} из {total}", "Draws done: {done} of {total}"),
    "sweep_preparing": ("Үміткер жоспарлар дайындалуда…", "Готовятся планы-кандидаты…", "Preparing the candidate plans…"),
    "sweep_done": ("{draws} есептеу {seconds} с ішінде орындалды", "{draws} прогонов выполнено за {seconds} с",
                   "{draws} draws done in {seconds} s"),
    "candidate_plan": ("Жоспар", "План", "Plan"),
    "p_ratio_falls_vs_base": ("Арақатынас базалық жылға қарағанда төмендеу ықтималдығы",
                              "Вероятность снижения соотношения к базовому году",
                              "Probability the ratio falls vs the base year"),
    "p_ratio_falls_vs_baseline": ("Арақатынас саясатсыз нұсқадан төмен болу ықтималдығы",
                                  "Вероятность, что соотношение ниже, чем без новой политики",
                                  "Probability the ratio is below no new policy"),
    "problem_regions_range": ("Проблемалы өңірлер (ең аз–ең көп)", "Проблемные регионы (мин–макс)",
                              "Problem regions (min–max)"),
    "regret_mean": ("Орташа өкініш", "Среднее сожаление", "Mean regret"),
    "regret_max": ("Ең үлкен өкініш", "Наибольшее сожаление", "Largest regret"),
    "metric_mean": ("Мақсат көрсеткішінің орташасы", "Среднее значение целевого показателя", "Mean of the objective metric"),
    "robust_minimax": ("Ең нашар жағдайдағы өкініші ең аз жоспар", "План с наименьшим худшим сожалением",
                       "Plan of least worst-case regret"),
    "robust_expected": ("Орташа есеппен ең жақсы жоспар", "Лучший план в среднем", "Best plan in expectation"),
    "robust_worst": ("Ең нашар жағдайда ең жақсы жоспар", "Лучший план в худшем случае", "Best plan in the worst case"),
    "sensitivity": ("Жоспарды қай болжамдар өзгертеді", "Какие допущения меняют план", "Which assumptions change the plan"),
    "parameter": ("Параметр", "Параметр", "Parameter"),
    "basis": ("Негізі", "Основание", "Basis"),
    "rho_metric": ("Нәтижемен корреляция", "Корреляция с результатом", "Correlation with the outcome"),
    "rho_regret": ("Өкінішпен корреляция", "Корреляция с сожалением", "Correlation with regret"),
    "rho_plan_shift": ("Жоспардың ығысуымен корреляция", "Корреляция со сдвигом плана", "Correlation with the plan shift"),
    "plan_optimizer_central": ("Оңтайландырушы (орталық болжамдар)", "Оптимизатор (центральные допущения)",
                               "Optimizer (central assumptions)"),
    "plan_optimizer_low": ("Оңтайландырушы (төмен мәндер)", "Оптимизатор (низкие значения)", "Optimizer (low values)"),
    "plan_optimizer_high": ("Оңтайландырушы (жоғары мәндер)", "Оптимизатор (высокие значения)", "Optimizer (high values)"),
    "plan_formula": ("Формула: {name}", "Формула: {name}", "Formula: {name}"),
})


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label ``key`` in ``lang`` (falling back to English, then to the key), formatted with ``values``."""
    entry = _TEXT.get(key)
    if entry is None:
        text = key
    else:
        text = entry[LANGUAGES.index(lang)] if lang in LANGUAGES else entry[2]
        text = text or entry[2]
    return text.format(**values) if values else text


class LocalText(str):
    """A text of the rules in English (the string itself) that carries its Kazakh and Russian too.

    Code that only needs a string reads it as English; whatever a planner reads goes through :func:`local`.
    """

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> LocalText:
        text = super().__new__(cls, texts["en"])
        text.texts = dict(texts)
        return text

    def __reduce__(self):  # type: ignore[no-untyped-def] - rules cross into worker processes
        return (LocalText, (self.texts,))


def local(text: object, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`LocalText` with that language, else the text itself."""
    if isinstance(text, LocalText):
        return text.texts.get(lang) or str(text)
    return "" if text is None else str(text)


def read_local_text(value: object) -> str | None:
    """A rules text: a plain string, or a mapping ``{en, kk, ru}`` of non-empty strings (a :class:`LocalText`).

    Whitespace runs become one space (YAML's folded blocks). ``None`` when the value is neither.
    """
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        texts = {lang: " ".join(str(value[lang]).split()) for lang in LANGUAGES if isinstance(value[lang], str)}
        if len(texts) == len(LANGUAGES) and all(texts.values()):
            return LocalText(texts)
    return None


def indicator_name(indicator: str, lang: str = "en") -> str:
    """The human name of an indicator id in ``lang``; an id's suffix (``_2022bnd``, ``_quarterly_q3``) is named too.

    >>> indicator_name("grp_per_capita_2022bnd", "en")
    'GRP per capita (2022 boundaries)'
    """
    if has_text(indicator):
        return t(indicator, lang)
    for suffix, key in (("_2022bnd", "indicator_suffix_2022bnd"), ("_jan_jul", "indicator_suffix_jan_jul"),
                        ("_jan_jun", "indicator_suffix_jan_jun"), ("_polygon_derived", "indicator_suffix_polygon")):
        if indicator.endswith(suffix) and indicator != suffix:
            return t(key, lang, name=indicator_name(indicator.removesuffix(suffix), lang))
    base, _, quarter = indicator.rpartition("_quarterly_q")
    if base and quarter.isdigit():
        return t("indicator_suffix_quarter", lang, name=indicator_name(base, lang), quarter=quarter)
    return indicator


def data_unit(unit: str, lang: str = "en") -> str:
    """A unit of the data's catalogue (``thousand KZT per person``) in ``lang``, or as written when unknown."""
    return t(unit, lang) if has_text(unit) else unit


def has_text(key: str) -> bool:
    return key in _TEXT


def all_keys() -> list[str]:
    return sorted(_TEXT)


#: Plotly's ``separators`` (decimal sign, then the thousands separator) for each language
PLOTLY_SEPARATORS = {"kk": ",\u00a0", "ru": ",\u00a0", "en": ".,"}


def _locale(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def format_value(value: float | None, lang: str = "en", decimals: int | None = 1, *, percent: bool = False,
                 sig: int | None = None, sign: bool = False, group: bool = True) -> str:
    """A number written the way ``lang`` writes it (Babel's CLDR data): the one number formatter of the engine.

    ``decimals`` fixes the digits after the decimal sign; ``sig`` asks for that many significant digits
    instead (very small or very large values then in scientific notation); ``percent`` shows a share as a
    percentage (``0.015`` as ``1.5%``, ``1,5\u00a0%`` in Russian); ``sign`` writes ``+`` before positive values.
    ``None`` is written as a dash.

    >>> format_value(14584.4, "ru") == "14\u00a0584,4"
    True
    >>> format_value(0.015, "en", percent=True)
    '1.5%'
    >>> format_value(3.59e-08, "ru", sig=3)
    '3,59E-08'
    """
    from babel import numbers  # Babel's locale data loads on the first number, not when the labels are read

    if value is None:
        return "\u2014"
    locale = _locale(lang)
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return "\u2014" if value != value else ("\u221e" if value > 0 else "-\u221e")
    if sig is not None:
        shown = abs(value * 100 if percent else value)
        if shown and not 1e-3 <= shown < 10 ** (sig + 4):
            text = numbers.format_scientific(value, "#." + "#" * (sig - 1) + "E00", locale=locale)
            return ("+" + text) if sign and value > 0 else text
        pattern = ("#,##0" if group else "0") + "." + "#" * 12
        rounded = float(f"{(value * 100 if percent else value):.{sig}g}")
        text = numbers.format_decimal(rounded, format=pattern, locale=locale)
        if percent:
            text = _with_percent_sign(text, locale)
    elif percent:
        pattern = _percent_pattern(locale, decimals or 0, group)
        text = numbers.format_percent(value, format=pattern, locale=locale)
    else:
        digits = "0" * (decimals or 0)
        pattern = ("#,##0" if group else "0") + ("." + digits if digits else "")
        text = numbers.format_decimal(value, format=pattern, locale=locale)
    if text.startswith("-") and not text.strip("-0,.\u00a0%E+"):  # -0.0 is written 0.0
        text = text[1:]
    return ("+" + text) if sign and value > 0 else text


def _percent_pattern(locale: str, decimals: int, group: bool) -> str:
    from babel import Locale

    pattern = Locale.parse(locale).percent_formats[None].pattern
    if not group:
        pattern = pattern.replace("#,##", "")
    return pattern.replace("0%", "0" + ("." + "0" * decimals if decimals else "") + "%", 1) if "0%" in pattern \
        else pattern.replace("0\u00a0%", "0" + ("." + "0" * decimals if decimals else "") + "\u00a0%", 1)


def _with_percent_sign(text: str, locale: str) -> str:
    from babel import Locale

    pattern = Locale.parse(locale).percent_formats[None].pattern
    return text + ("\u00a0%" if "\u00a0%" in pattern else "%")


def format_number(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A number to ``decimals`` places: ``1,234.5`` in English, ``1 234,5`` in Kazakh and Russian.

    >>> format_number(14584.4, "ru") == "14\u00a0584,4"
    True
    >>> format_number(14584.4, "en")
    '14,584.4'
    """
    return format_value(value, lang, decimals)


def format_percent(share: float, lang: str = "en", decimals: int = 1) -> str:
    """A share written as a percentage: ``1.5%`` in English and Kazakh, ``1,5\u00a0%`` in Russian (CLDR).

    >>> format_percent(0.015, "en")
    '1.5%'
    """
    return format_value(share, lang, decimals, percent=True)


def format_date(day, lang: str = "en", style: str = "long") -> str:  # noqa: ANN001 - a datetime.date
    """A date as ``lang`` writes it (``1 марта 2025 г.`` in Russian)."""
    from babel import dates

    return dates.format_date(day, style, locale=_locale(lang))


def unit_name(units_frame, unit_id: str, lang: str) -> str:  # noqa: ANN001 - a pandas frame indexed by unit id
    """A unit's name in ``lang`` from the units table, or its id."""
    column = f"name_{lang}"
    if unit_id in units_frame.index and column in units_frame.columns:
        name = units_frame.at[unit_id, column]
        if isinstance(name, str) and name:
            return name
    return unit_id


# --- indicators and their units (the Data and Diagnosis pages, validation messages) --------------------
_TEXT.update({
    "area_km2": ("Аумақ", "Площадь", "Area"),
    "avg_monthly_wage": ("Орташа айлық жалақы", "Среднемесячная заработная плата", "Average monthly wage"),
    "fixed_capital_investment": ("Негізгі капиталға инвестициялар", "Инвестиции в основной капитал",
                                 "Investment in fixed capital"),
    "fixed_capital_investment_per_capita": ("Жан басына шаққандағы негізгі капиталға инвестициялар",
                                            "Инвестиции в основной капитал на душу населения",
                                            "Investment in fixed capital per capita"),
    "grp_total": ("Жалпы өңірлік өнім (ЖӨӨ)", "Валовой региональный продукт (ВРП)", "Gross regional product (GRP)"),
    "gva_mining": ("Тау-кен өндіру өнеркәсібінің жалпы қосылған құны", "Валовая добавленная стоимость горнодобывающей промышленности",
                   "Gross value added of mining and quarrying"),
    "internal_arrivals": ("Ішкі көші-қон: келгендер", "Внутренняя миграция: прибывшие", "Internal migration: arrivals"),
    "internal_departures": ("Ішкі көші-қон: кеткендер", "Внутренняя миграция: выбывшие", "Internal migration: departures"),
    "internal_movers_total": ("Ішкі көшіп-қонушылар барлығы", "Внутренние мигранты, всего", "Internal movers, total"),
    "international_arrivals": ("Сыртқы көші-қон: келгендер", "Внешняя миграция: прибывшие", "International migration: arrivals"),
    "international_departures": ("Сыртқы көші-қон: кеткендер", "Внешняя миграция: выбывшие",
                                 "International migration: departures"),
    "international_net_migration": ("Сыртқы көші-қон сальдосы", "Сальдо внешней миграции", "International net migration"),
    "interregional_net_migration": ("Өңіраралық көші-қон сальдосы", "Сальдо межрегиональной миграции",
                                    "Interregional net migration"),
    "interregional_net_migration_per_1000": ("1000 тұрғынға шаққандағы өңіраралық көші-қон сальдосы",
                                             "Сальдо межрегиональной миграции на 1000 жителей",
                                             "Interregional net migration per 1,000 residents"),
    "per_capita_income_monthly": ("Жан басына шаққандағы орташа айлық табыс", "Среднедушевой месячный доход",
                                  "Average monthly income per capita"),
    "poverty_rate": ("Кедейлік деңгейі", "Уровень бедности", "Poverty rate"),
    "rural_settlements_count": ("Ауылдық елді мекендер саны", "Число сельских населённых пунктов",
                                "Number of rural settlements"),
    "rural_settlements_low_potential_count": ("Даму әлеуеті төмен ауылдық елді мекендер саны",
                                              "Число сельских населённых пунктов с низким потенциалом",
                                              "Rural settlements with low potential"),
    "rural_settlements_perspective_count": ("Даму әлеуеті бар ауылдық елді мекендер саны",
                                            "Число перспективных сельских населённых пунктов",
                                            "Rural settlements with development potential"),
    "rural_settlements_under_50_residents_count": ("Тұрғыны 50-ден аз ауылдық елді мекендер саны",
                                                   "Число сельских населённых пунктов с населением до 50 человек",
                                                   "Rural settlements with fewer than 50 residents"),
    "urban_share": ("Қала халқының үлесі", "Доля городского населения", "Urban share of the population"),
    "population_urban": ("Қала халқы", "Городское население", "Urban population"),
    # what an indicator id's suffix adds to its name
    "indicator_suffix_2022bnd": ("{name} (2022 жылғы шекаралар)", "{name} (границы 2022 года)", "{name} (2022 boundaries)"),
    "indicator_suffix_quarter": ("{name} ({quarter}-тоқсан)", "{name} ({quarter}-й квартал)", "{name} (quarter {quarter})"),
    "indicator_suffix_jan_jul": ("{name} (қаңтар-шілде)", "{name} (январь-июль)", "{name} (January-July)"),
    "indicator_suffix_jan_jun": ("{name} (қаңтар-маусым)", "{name} (январь-июнь)", "{name} (January-June)"),
    "indicator_suffix_polygon": ("{name} (шекаралар бойынша есептелген)", "{name} (рассчитана по границам)",
                                 "{name} (computed from the boundaries)"),
    # units of the data's catalogue, by their English text
    "km2": ("км²", "км²", "km²"),
    "KZT per month": ("айына теңге", "тенге в месяц", "KZT per month"),
    "million KZT, current prices": ("млн теңге, ағымдағы бағамен", "млн тенге, в текущих ценах", "million KZT, current prices"),
    "thousand KZT per person": ("бір адамға мың теңге", "тыс. тенге на человека", "thousand KZT per person"),
    "persons per year": ("жылына адам", "человек в год", "persons per year"),
    "persons (January-July)": ("адам (қаңтар-шілде)", "человек (январь-июль)", "persons (January-July)"),
    "persons (January-June)": ("адам (қаңтар-маусым)", "человек (январь-июнь)", "persons (January-June)"),
    "per 1000 average annual population": ("жылдық орташа халықтың 1000 адамына", "на 1000 человек среднегодового населения",
                                           "per 1000 average annual population"),
    "KZT per month (average per capita)": ("айына теңге (жан басына орташа)", "тенге в месяц (в среднем на душу)",
                                           "KZT per month (average per capita)"),
    "persons (annual average)": ("адам (жылдық орташа)", "человек (среднегодовая)", "persons (annual average)"),
    "% of population with income below subsistence minimum": (
        "табысы ең төмен күнкөріс деңгейінен төмен халықтың %", "% населения с доходами ниже прожиточного минимума",
        "% of population with income below subsistence minimum"),
    "count": ("саны", "количество", "count"),
    "% of labour force": ("жұмыс күшінің %", "% рабочей силы", "% of labour force"),
    "% of annual average population": ("жылдық орташа халықтың %", "% среднегодового населения",
                                       "% of annual average population"),
    # column heads of the Data page's tables
    "catalogue_indicator": ("Көрсеткіш", "Показатель", "Indicator"),
    "catalogue_unit": ("Өлшем бірлігі", "Единица измерения", "Unit"),
    "catalogue_rows": ("Мәндер", "Значений", "Values"),
    "catalogue_first": ("Бірінші жыл", "Первый год", "First year"),
    "catalogue_last": ("Соңғы жыл", "Последний год", "Last year"),
    "units_unit_id": ("Коды", "Код", "Id"),
    "units_name": ("Атауы", "Название", "Name"),
    "units_kind": ("Түрі", "Тип", "Kind"),
    "units_economic_type": ("Экономика түрі", "Тип экономики", "Economic type"),
    "units_valid_from": ("Басталуы", "Действует с", "Valid from"),
    "units_valid_to": ("Аяқталуы", "Действует по", "Valid to"),
    "unit_kind_country": ("Ел", "Страна", "Country"),
    "unit_kind_oblast": ("Облыс", "Область", "Oblast"),
    "unit_kind_city": ("Республикалық маңызы бар қала", "Город республиканского значения", "City of republican significance"),
    "economic_type_agricultural": ("Аграрлық", "Аграрный", "Agricultural"),
    "economic_type_oil": ("Мұнай өндіретін", "Нефтедобывающий", "Oil-producing"),
    "economic_type_industrial": ("Индустриялық", "Индустриальный", "Industrial"),
    "economic_type_metropolitan": ("Мегаполис", "Мегаполис", "Metropolitan"),
})


# --- the file uploader's own words (Streamlit's are English only) -------------------------------------
_TEXT.update({
    "uploader_limit": ("Файлға {size} МБ дейін • {types}", "До {size} МБ на файл • {types}", "Up to {size} MB per file • {types}"),
    "uploader_button": ("Файлды таңдау", "Выбрать файл", "Choose a file"),
})
