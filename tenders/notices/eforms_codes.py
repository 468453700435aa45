"""The eForms code lists the notice parser reads, mapped onto the portal's vocabulary.

Plain data, no imports: notice subtypes (OPP-070) and notice types (BT-02) to the R2.0.9 parser's
notice kinds, the families that are not imported, procedure types (BT-105), and the ISO tables
eForms uses (ISO 639-3 languages, ISO 3166-1 alpha-3 countries) to the portal's ISO 639-1 and
alpha-2 codes.
"""

from __future__ import annotations

#: Notice subtype (OPP-070) -> (notice type, notice kind); kinds as in ted.py's FORM_NAMES, and
#: each subtype gets the kind its R2.0.9 form gets there (buyer profile PIN = F08 "other";
#: PIN call for competition = F21-F23 PRI_CALL_COMPETITION "tender"; qualification system = F07).
SUBTYPES: dict[str, tuple[str, str]] = {
    "1": ("buyer profile notice", "other"),
    "2": ("buyer profile notice - utilities", "other"),
    "3": ("buyer profile notice - defence", "other"),
    "4": ("prior information notice", "planning"),
    "5": ("periodic indicative notice - utilities", "planning"),
    "6": ("prior information notice - defence", "planning"),
    "7": ("prior information notice (reducing time limits)", "planning"),
    "8": ("periodic indicative notice - utilities (reducing time limits)", "planning"),
    "9": ("prior information notice - defence (reducing time limits)", "planning"),
    "10": ("prior information notice (call for competition)", "tender"),
    "11": ("periodic indicative notice - utilities (call for competition)", "tender"),
    "12": ("prior information notice (call for competition) - social services", "tender"),
    "13": ("periodic indicative notice (call for competition) - social services", "tender"),
    "14": ("prior information notice (call for competition) - concessions", "tender"),
    "15": ("qualification system - utilities", "tender"),
    "16": ("contract notice", "tender"),
    "17": ("contract notice - utilities", "tender"),
    "18": ("contract notice - defence", "tender"),
    "19": ("concession notice", "tender"),
    "20": ("contract notice - social and other specific services", "tender"),
    "21": ("contract notice - social and other specific services - utilities", "tender"),
    "22": ("subcontract notice - defence", "tender"),
    "23": ("design contest notice", "tender"),
    "24": ("design contest notice - utilities", "tender"),
    "25": ("voluntary ex ante transparency notice", "award"),
    "26": ("voluntary ex ante transparency notice - utilities", "award"),
    "27": ("voluntary ex ante transparency notice - defence", "award"),
    "28": ("voluntary ex ante transparency notice - concessions", "award"),
    "29": ("contract award notice", "award"),
    "30": ("contract award notice - utilities", "award"),
    "31": ("contract award notice - defence", "award"),
    "32": ("concession award notice", "award"),
    "33": ("contract award notice - social and other specific services", "award"),
    "34": ("contract award notice - social and other specific services - utilities", "award"),
    "35": ("concession award notice - social and other specific services", "award"),
    "36": ("results of design contest", "award"),
    "37": ("results of design contest - utilities", "award"),
    "38": ("modification notice", "modification"),
    "39": ("modification notice - utilities", "modification"),
    "40": ("modification notice - concessions", "modification"),
    # Voluntary forms (procedures outside the directives, e.g. below the thresholds).
    "E2": ("prior information notice (voluntary)", "planning"),
    "E3": ("contract notice (voluntary)", "tender"),
    "E4": ("contract award notice (voluntary)", "award"),
    "E6": ("modification notice (voluntary)", "modification"),
    "CEI": ("call for expressions of interest", "tender"),
}

#: Notice type (BT-02) -> kind, for a subtype missing or unknown.
NOTICE_TYPE_KINDS: dict[str, str] = {
    "pin-buyer": "other",
    "pin-only": "planning",
    "pin-rtl": "planning",
    "pin-cfc-standard": "tender",
    "pin-cfc-social": "tender",
    "qu-sy": "tender",
    "cn-standard": "tender",
    "cn-social": "tender",
    "cn-desg": "tender",
    "subco": "tender",
    "veat": "award",
    "can-standard": "award",
    "can-social": "award",
    "can-desg": "award",
    "can-modif": "modification",
}

#: Families the portal does not import (no call in them, or no R2.0.9 form the portal imported):
#: refused with code ``family_skipped``, which the importer reports as skipped.
SKIPPED_NOTICE_TYPES: dict[str, str] = {
    "pmc": "a pre-market consultation notice (E1)",
    "compl": "a contract completion notice (E5)",
    "pin-tran": "a public passenger transport notice (T01, Regulation 1370/2007)",
    "can-tran": "a public passenger transport award notice (T02, Regulation 1370/2007)",
    "brin-eeig": "a business registration notice (X01, European economic interest grouping)",
    "brin-ecs": "a business registration notice (X02, European company or cooperative)",
}
SKIPPED_SUBTYPES = {"E1": "pmc", "E5": "compl", "T01": "pin-tran", "T02": "can-tran"}

#: BT-105 procedure type -> ted.py's PROCEDURES vocabulary.
PROCEDURES: dict[str, str] = {
    "open": "open",
    "restricted": "restricted",
    "neg-w-call": "negotiated",
    "neg-wo-call": "negotiated",
    "comp-dial": "competitive_dialogue",
    "innovation": "innovation_partnership",
    "comp-tend": "other",
    "oth-single": "other",
    "oth-mult": "other",
    "exp-int-rail": "other",
}

CONTRACT_NATURES = {"supplies": "goods", "works": "works", "services": "services"}

#: BT-144 reason a lot was not awarded -> TedAward.no_award_reason (the Publications Office's
#: converter writes R2.0.9 PROCUREMENT_UNSUCCESSFUL as "all-rej", PROCUREMENT_DISCONTINUED as
#: "other").
UNSUCCESSFUL_REASONS = frozenset({"all-rej", "no-rece"})

SME_SIZES = frozenset({"micro", "small", "medium", "sme"})

#: Organisation identifiers (BT-501) that say there is none.
PLACEHOLDER_IDENTIFIERS = frozenset({"n/a", "na", "-", "none", "unknown", "not available"})

#: ISO 639-3 (and 639-2/B) -> ISO 639-1: the 24 EU languages and their neighbours.
LANGUAGES: dict[str, str] = {
    "BUL": "bg", "CES": "cs", "CZE": "cs", "DAN": "da", "DEU": "de", "GER": "de", "ELL": "el",
    "GRE": "el", "ENG": "en", "EST": "et", "FIN": "fi", "FRA": "fr", "FRE": "fr", "GLE": "ga",
    "HRV": "hr", "HUN": "hu", "ITA": "it", "LAV": "lv", "LIT": "lt", "MLT": "mt", "NLD": "nl",
    "DUT": "nl", "POL": "pl", "POR": "pt", "RON": "ro", "RUM": "ro", "SLK": "sk", "SLO": "sk",
    "SLV": "sl", "SPA": "es", "SWE": "sv", "CAT": "ca", "EUS": "eu", "BAQ": "eu", "GLG": "gl",
    "ISL": "is", "ICE": "is", "NOR": "no", "NOB": "nb", "NNO": "nn", "LTZ": "lb", "TUR": "tr",
    "RUS": "ru", "UKR": "uk", "SRP": "sr", "MKD": "mk", "MAC": "mk", "SQI": "sq", "ALB": "sq",
    "BOS": "bs", "CNR": "cnr",
}  # fmt: skip

#: ISO 3166-1 alpha-3 -> alpha-2, three letters then two, plus eForms' "1A0" for Kosovo.
_COUNTRY_PAIRS = """
ABWAW AFGAF AGOAO AIAAI ALAAX ALBAL ANDAD AREAE ARGAR ARMAM ASMAS ATAAQ ATFTF ATGAG AUSAU AUTAT
AZEAZ BDIBI BELBE BENBJ BESBQ BFABF BGDBD BGRBG BHRBH BHSBS BIHBA BLMBL BLRBY BLZBZ BMUBM BOLBO
BRABR BRBBB BRNBN BTNBT BVTBV BWABW CAFCF CANCA CCKCC CHECH CHLCL CHNCN CIVCI CMRCM CODCD COGCG
COKCK COLCO COMKM CPVCV CRICR CUBCU CUWCW CXRCX CYMKY CYPCY CZECZ DEUDE DJIDJ DMADM DNKDK DOMDO
DZADZ ECUEC EGYEG ERIER ESHEH ESPES ESTEE ETHET FINFI FJIFJ FLKFK FRAFR FROFO FSMFM GABGA GBRGB
GEOGE GGYGG GHAGH GIBGI GINGN GLPGP GMBGM GNBGW GNQGQ GRCGR GRDGD GRLGL GTMGT GUFGF GUMGU GUYGY
HKGHK HMDHM HNDHN HRVHR HTIHT HUNHU IDNID IMNIM INDIN IOTIO IRLIE IRNIR IRQIQ ISLIS ISRIL ITAIT
JAMJM JEYJE JORJO JPNJP KAZKZ KENKE KGZKG KHMKH KIRKI KNAKN KORKR KWTKW LAOLA LBNLB LBRLR LBYLY
LCALC LIELI LKALK LSOLS LTULT LUXLU LVALV MACMO MAFMF MARMA MCOMC MDAMD MDGMG MDVMV MEXMX MHLMH
MKDMK MLIML MLTMT MMRMM MNEME MNGMN MNPMP MOZMZ MRTMR MSRMS MTQMQ MUSMU MWIMW MYSMY MYTYT NAMNA
NCLNC NERNE NFKNF NGANG NICNI NIUNU NLDNL NORNO NPLNP NRUNR NZLNZ OMNOM PAKPK PANPA PCNPN PERPE
PHLPH PLWPW PNGPG POLPL PRIPR PRKKP PRTPT PRYPY PSEPS PYFPF QATQA REURE ROURO RUSRU RWARW SAUSA
SDNSD SENSN SGPSG SGSGS SHNSH SJMSJ SLBSB SLESL SLVSV SMRSM SOMSO SPMPM SRBRS SSDSS STPST SURSR
SVKSK SVNSI SWESE SWZSZ SXMSX SYCSC SYRSY TCATC TCDTD TGOTG THATH TJKTJ TKLTK TKMTM TLSTL TONTO
TTOTT TUNTN TURTR TUVTV TWNTW TZATZ UGAUG UKRUA UMIUM URYUY USAUS UZBUZ VATVA VCTVC VENVE VGBVG
VIRVI VNMVN VUTVU WLFWF WSMWS YEMYE ZAFZA ZMBZM ZWEZW 1A0XK XKXXK
"""
COUNTRIES: dict[str, str] = {pair[:3]: pair[3:] for pair in _COUNTRY_PAIRS.split()}
#: NUTS codes start with the country's code, Greece's as EL and the United Kingdom's as UK.
NUTS_COUNTRY_FIXES = {"EL": "GR", "UK": "GB"}
