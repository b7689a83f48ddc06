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
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label ``key`` in ``lang`` (falling back to English, then to the key), formatted with ``values``."""
    entry = _TEXT.get(key)
    if entry is None:
        text = key
    else:
        text = entry[LANGUAGES.index(lang)] if lang in LANGUAGES else entry[2]
        text = text or entry[2]
    return text.format(**values) if values else text


def has_text(key: str) -> bool:
    return key in _TEXT


def all_keys() -> list[str]:
    return sorted(_TEXT)


def format_number(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A number written as the language writes it: ``1,234.5`` in English, ``1 234,5`` in Kazakh and Russian.

    >>> format_number(14584.4, "ru") == "14\\u00a0584,4"
    True
    >>> format_number(14584.4, "en")
    '14,584.4'
    """
    text = f"{value:,.{decimals}f}"
    if lang in ("ru", "kk"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def unit_name(units_frame, unit_id: str, lang: str) -> str:  # noqa: ANN001 - a pandas frame indexed by unit id
    """A unit's name in ``lang`` from the units table, or its id."""
    column = f"name_{lang}"
    if unit_id in units_frame.index and column in units_frame.columns:
        name = units_frame.at[unit_id, column]
        if isinstance(name, str) and name:
            return name
    return unit_id
