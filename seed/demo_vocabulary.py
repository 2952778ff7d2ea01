"""Words the demo generator composes profiles from: topics, venues, title templates, job
titles, awards. Plain data, kept apart from ``seed.demo_profiles`` so the logic stays short;
nothing here is reference data (that lives in ``seed/data``).
"""

from __future__ import annotations

__all__ = [
    "ABSTRACT_METHOD", "ABSTRACT_OPEN", "ABSTRACT_RESULT", "ACADEMIC_TITLES", "ADJECTIVES",
    "AWARDS", "CALLING_CODE", "EXTRA_ORGS", "HOST_LANGUAGE", "INDUSTRY_TITLES", "PROJECT_KINDS",
    "TITLE_TEMPLATES", "TOPICS", "VENUES", "VI_TITLES",
]

# Host-country languages (ISO 639-1) an overseas expert is likely to speak besides vi and en.
HOST_LANGUAGE = {"JP": "ja", "FR": "fr", "DE": "de", "KR": "ko", "TW": "zh", "CH": "de",
                  "NL": "nl", "SE": "sv", "BE": "nl", "FI": "fi", "CZ": "cs", "CN": "zh",
                  "HK": "zh"}
CALLING_CODE = {"VN": "84", "US": "1", "JP": "81", "FR": "33", "AU": "61", "CA": "1",
                 "TW": "886", "KR": "82", "DE": "49", "SG": "65", "GB": "44", "CH": "41",
                 "NL": "31", "SE": "46", "BE": "32", "FI": "358", "CZ": "420", "NZ": "64"}
# Host countries the reference list has no organization for (organizations named inline).
EXTRA_ORGS = {
    "CZ": (("Czech Technical University in Prague", "Prague", "UNIVERSITY"),
           ("Brno University of Technology", "Brno", "UNIVERSITY")),
    "NZ": (("University of Auckland", "Auckland", "UNIVERSITY"),
           ("Victoria University of Wellington", "Wellington", "UNIVERSITY")),
}

# Application topics per group, used in titles, abstracts, project names and bios.
TOPICS = {
    "ai-digital-twin-xr": (
        "Vietnamese text classification", "document understanding for public services",
        "traffic video analytics in Hanoi", "medical image diagnosis", "virtual assistants",
        "low-resource speech recognition", "digital twins of factories", "e-commerce search",
        "retrieval-augmented generation", "legal question answering", "smart-city cameras"),
    "cloud-quantum-big-data": (
        "large-scale data pipelines", "serverless workloads", "quantum circuit optimisation",
        "variational quantum algorithms", "graph analytics", "weather simulation on HPC",
        "national data centres", "streaming telemetry", "open government data"),
    "blockchain": (
        "supply-chain traceability", "agricultural product provenance", "digital identity",
        "cross-border payments", "smart contract verification", "layer-2 rollups",
        "land registry records"),
    "next-gen-mobile-networks": (
        "5G network slicing", "massive MIMO base stations", "Open RAN deployments",
        "6G terahertz links", "IoT connectivity", "satellite-terrestrial integration",
        "private 5G for factories"),
    "robotics-automation": (
        "autonomous mobile robots in warehouses", "industrial manipulators",
        "SLAM in dynamic environments", "agricultural robots in the Mekong Delta",
        "collaborative robots", "automated inspection lines"),
    "semiconductor-chips": (
        "low-power SoCs", "RISC-V processors", "analog front-ends for sensors",
        "AI accelerators at the edge", "chiplet packaging", "verification closure",
        "GaN power devices", "5G RF transceivers"),
    "cybersecurity": (
        "intrusion detection", "malware classification", "post-quantum key exchange",
        "security operations centres", "firmware vulnerabilities",
        "privacy-preserving analytics", "critical infrastructure protection"),
    "biotechnology": (
        "rice genome improvement", "shrimp disease diagnostics", "vaccine development",
        "dengue surveillance", "precision oncology", "microbial fermentation",
        "plant tissue culture"),
    "advanced-materials": (
        "perovskite thin films", "graphene composites", "rare-earth magnets",
        "biodegradable polymers", "nanostructured catalysts", "corrosion-resistant alloys"),
    "new-energy-storage": (
        "lithium-ion battery degradation", "solar power forecasting", "offshore wind farms",
        "green hydrogen production", "grid-scale storage", "smart grid stability",
        "electric motorbike charging"),
    "aerospace-uav": (
        "small satellite missions", "UAV path planning", "remote sensing of the Mekong Delta",
        "GNSS positioning", "drone swarms", "flood mapping from SAR imagery",
        "earth observation ground stations"),
}
VENUES = {
    "ai-digital-twin-xr": ("NeurIPS", "ACL", "EMNLP", "CVPR", "AAAI", ("IEEE Transactions on "
                           "Pattern Analysis and Machine Intelligence"), "VLSP Workshop"),
    "cloud-quantum-big-data": ("VLDB", "IEEE Transactions on Cloud Computing",
                               "Quantum", "Physical Review A", "SC Conference"),
    "blockchain": ("IEEE Blockchain", "Financial Cryptography", "ACM CCS"),
    "next-gen-mobile-networks": ("IEEE Transactions on Wireless Communications", "IEEE ICC",
                                 "IEEE Globecom", "IEEE Communications Magazine"),
    "robotics-automation": ("IEEE ICRA", "IEEE/RSJ IROS", "IEEE Transactions on Robotics",
                            "Robotics and Autonomous Systems"),
    "semiconductor-chips": ("IEEE ISSCC", "IEEE Journal of Solid-State Circuits", "DAC",
                            "IEEE Transactions on VLSI Systems", "ICCAD"),
    "cybersecurity": ("USENIX Security", "IEEE S&P", "ACM CCS", "NDSS"),
    "biotechnology": ("Nature Communications", "Vaccine", "Aquaculture", "PLOS ONE",
                      "Frontiers in Plant Science"),
    "advanced-materials": ("Advanced Materials", "ACS Nano", "Journal of Alloys and Compounds",
                           "Communications in Physics"),
    "new-energy-storage": ("Journal of Power Sources", "Applied Energy",
                           "IEEE Transactions on Smart Grid", "Energy Storage Materials"),
    "aerospace-uav": ("Acta Astronautica", ("IEEE Transactions on Aerospace and Electronic "
                      "Systems"), "Remote Sensing", "Journal of Guidance, Control, and Dynamics"),
}
TITLE_TEMPLATES = (
    "{a} for {topic}",
    "A {adj} {a} approach to {topic}",
    "{topic} using {a} and {b}",
    "Towards {adj} {b} with {a}",
    "Efficient {a} for {topic} on resource-constrained platforms",
    "{a}-based {topic}: lessons from deployment in Vietnam",
    "On the robustness of {a} in {topic}",
    "Benchmarking {a} for {topic} in low-resource settings",
    "Joint {a} and {b} for {topic}",
    "{adj_cap} {b} for {topic}: a case study",
)
ADJECTIVES = ("scalable", "robust", "lightweight", "energy-efficient", "interpretable",
               "data-efficient", "real-time", "secure", "adaptive", "hybrid")
ABSTRACT_OPEN = (
    "We study {topic}, a problem of growing importance for Vietnam's strategic industries.",
    "This paper addresses {topic} under realistic constraints of cost and data.",
    "{topic_cap} remains difficult when data and compute are scarce.",
)
ABSTRACT_METHOD = (
    "We propose a {adj} method that combines {a} ({alias_a}) with {b}.",
    "Our approach builds on {a} and uses {b} to handle the hard cases.",
    "We design a {adj} pipeline around {a}, informed by {b}.",
)
ABSTRACT_RESULT = (
    "Experiments on {n} real-world datasets show gains of {gain}% over strong baselines.",
    "A field trial with partners in {city} reduced errors by {gain}%.",
    "The results improve on the state of the art by {gain}% while using less energy.",
)
ACADEMIC_TITLES = {
    "UNIVERSITY": ("Lecturer", "Senior Lecturer", "Associate Professor", "Professor"),
    "INSTITUTE": ("Researcher", "Senior Researcher", "Principal Investigator",
                  "Head of Laboratory"),
    "COMPANY": ("Research Scientist", "Senior Research Scientist", "Principal Scientist",
                "Research Director"),
    "AGENCY": ("Specialist", "Senior Specialist", "Head of Division", "Director"),
}
INDUSTRY_TITLES = {
    "UNIVERSITY": ("Research Engineer", "Senior Research Engineer", "Lab Manager",
                   "Technical Director"),
    "INSTITUTE": ("Engineer", "Senior Engineer", "Chief Engineer", "Deputy Director"),
    "COMPANY": ("Engineer", "Senior Engineer", "Principal Engineer", "Chief Technology Officer"),
    "AGENCY": ("Specialist", "Senior Specialist", "Head of Division", "Director"),
}
VI_TITLES = {"Lecturer": "Giảng viên", "Senior Lecturer": "Giảng viên chính",
              "Researcher": "Nghiên cứu viên", "Senior Researcher": "Nghiên cứu viên chính",
              "Engineer": "Kỹ sư", "Chief Engineer": "Kỹ sư trưởng",
              "Head of Laboratory": "Trưởng phòng thí nghiệm",
              "Specialist": "Chuyên viên", "Senior Specialist": "Chuyên viên chính"}
AWARDS = (
    ("Giải thưởng Tạ Quang Bửu", False), ("Giải thưởng Sáng tạo Khoa học Công nghệ Việt Nam",
                                           False),
    ("Giải thưởng Nhân tài Đất Việt", False), ("Giải thưởng Kovalevskaia", False),
    ("Quả cầu vàng Khoa học và Công nghệ", False), ("IEEE Best Paper Award", True),
    ("ACM Distinguished Paper Award", True), ("Marie Skłodowska-Curie Fellowship", True),
    ("Humboldt Research Fellowship", True), ("JSPS Postdoctoral Fellowship", True),
    ("VinFuture Special Prize", True), ("Giải thưởng Hồ Chí Minh về khoa học và công nghệ",
                                        False),
)
PROJECT_KINDS = ("Development of", "Pilot deployment of", "Design and fabrication of",
                  "National platform for", "Research on", "Technology transfer of")
