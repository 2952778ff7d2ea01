// An expert's profile, as the API lets the caller see it: skills with levels, employment and
// education, publications, patents, projects, eligibility under each scheme, collaborators;
// contact details only where the API returns them (consent and role rules live there).

import { h } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, formatDate, formatNumber, languageName, localName, t } from "../i18n.js";
import { badge, displayName, errorText, message } from "../components/ui.js";
import { rememberSkills } from "../components/skills.js";
import { eligibilitySection } from "../components/eligibility.js";

export const EXPERT_FIELDS = `id fullName honorific headline bio homepage residenceCountry city diaspora
  nationalities languages yearsExperience hIndex citations availability availableFrom
  willingToRelocate remoteOk visibility contactConsent orcid verified updatedAt version
  contact { email phone }
  skills { level years source skill { id nameVi nameEn } }
  employment { title from to organization { id name nameVi country city } }
  education { degree field year organization { id name nameVi country } }
  publications { id doi title year venue citations }
  patents { id number title year country granted applied }
  projects { id title summary relation role scale outcome budgetUsd startYear endYear }
  awards { id title year international }
  techAreas { id nameVi nameEn }`;

const QUERY = `query ExpertPage($id: ID!) {
  expert(id: $id) { ${EXPERT_FIELDS} }
  collaborators(expertId: $id, depth: 1, first: 12) {
    distance sharedCount expert { id fullName honorific headline }
    sharedWorks { id kind title year }
  }
}`;

export async function render(ctx) {
  const { data, errors } = await gql(QUERY, { id: ctx.params.id }, { partial: true });
  const expert = data && data.expert;
  if (!expert) {
    ctx.setTitle(t("expert.notFoundTitle"));
    return h("section", { class: "page" }, h("h1", {}, t("expert.notFoundTitle")),
      message("info", ctx.account ? t("expert.notFound") : t("expert.notFoundAnonymous")),
      errors && errors.length ? message("error", errorText({ message: errors[0].message, errors })) : null);
  }
  rememberSkills(expert.skills.map((s) => s.skill));
  ctx.setTitle(displayName(expert));
  return h("article", { class: "page page-expert" },
    header(expert),
    h("div", { class: "profile-grid" },
      h("div", { class: "profile-main" },
        expert.bio ? section("about", t("expert.about"), h("p", { class: "bio" }, expert.bio)) : null,
        skillsSection(expert),
        employmentSection(expert),
        educationSection(expert),
        projectsSection(expert),
        publicationsSection(expert),
        patentsSection(expert),
        awardsSection(expert)),
      h("div", { class: "profile-side" },
        contactSection(expert, ctx.account),
        factsSection(expert),
        eligibilitySection(expert.id),
        collaboratorsSection(data.collaborators))));
}

function section(id, title, ...body) {
  const headingId = `h-${id}`;
  return h("section", { class: "card profile-section", "aria-labelledby": headingId, id: `section-${id}` },
    h("h2", { id: headingId }, title), ...body);
}

function empty(text) {
  return h("p", { class: "muted" }, text || t("expert.none"));
}

function header(expert) {
  const place = [expert.city, countryName(expert.residenceCountry)].filter(Boolean).join(", ");
  return h("header", { class: "profile-header" },
    h("h1", {}, displayName(expert)),
    expert.headline ? h("p", { class: "lead" }, expert.headline) : null,
    h("p", { class: "result-meta" },
      place ? h("span", {}, place) : null,
      expert.diaspora ? badge(enumLabel("Diaspora", expert.diaspora), expert.diaspora.toLowerCase()) : null,
      expert.verified ? badge(t("expert.verified"), "ok") : null,
      expert.visibility !== "PUBLIC" ? badge(enumLabel("Visibility", expert.visibility)) : null),
    expert.techAreas.length ? h("ul", { class: "tags", "aria-label": t("expert.areas") }, expert.techAreas.map((a) => h("li", { class: "tag tag-area" }, localName(a)))) : null);
}

function levelMeter(level) {
  return h("span", { class: "meter", role: "img", "aria-label": t("expert.levelOf", { n: level }) },
    [1, 2, 3, 4, 5].map((i) => h("span", { class: i <= level ? "pip on" : "pip" })));
}

function skillsSection(expert) {
  const skills = [...expert.skills].sort((a, b) => b.level - a.level || b.years - a.years);
  return section("skills", t("expert.skills"), skills.length
    ? h("table", { class: "table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("expert.skill")), h("th", { scope: "col" }, t("expert.level")), h("th", { scope: "col" }, t("expert.skillYears")), h("th", { scope: "col" }, t("expert.source")))),
      h("tbody", {}, skills.map((s) => h("tr", {},
        h("th", { scope: "row" }, localName(s.skill)),
        h("td", {}, levelMeter(s.level), h("span", { class: "level-text" }, ` ${s.level}/5`)),
        h("td", {}, s.years ? String(s.years) : "—"),
        h("td", {}, enumLabel("SkillSource", s.source))))))
    : empty());
}

function orgName(org) {
  if (!org) return "";
  return [org.name, org.country ? countryName(org.country) : null].filter(Boolean).join(", ");
}

function years(from, to, ongoing) {
  if (!from && !to) return "";
  return `${from || "?"} – ${to || ongoing}`;
}

function employmentSection(expert) {
  return section("employment", t("expert.employment"), expert.employment.length
    ? h("ul", { class: "timeline" }, expert.employment.map((e) => h("li", {},
      h("strong", {}, e.title || t("expert.position")), " · ", orgName(e.organization),
      h("span", { class: "muted" }, ` ${years(e.from, e.to, t("expert.present"))}`))))
    : empty());
}

function educationSection(expert) {
  return section("education", t("expert.education"), expert.education.length
    ? h("ul", { class: "timeline" }, expert.education.map((e) => h("li", {},
      h("strong", {}, enumLabel("Degree", e.degree) || t("expert.degree")), e.field ? ` · ${e.field}` : "",
      " · ", orgName(e.organization), e.year ? h("span", { class: "muted" }, ` ${e.year}`) : null)))
    : empty());
}

function publicationsSection(expert) {
  const pubs = [...expert.publications].sort((a, b) => (b.year || 0) - (a.year || 0));
  return section("publications", t("expert.publicationsN", { n: pubs.length }), pubs.length
    ? h("ol", { class: "works" }, pubs.map((p) => h("li", {},
      h("span", { class: "work-title" }, p.title), " ",
      h("span", { class: "muted" }, [p.venue, p.year].filter(Boolean).join(", ")),
      p.citations ? h("span", { class: "muted" }, ` · ${t("expert.citationsN", { n: p.citations })}`) : null,
      p.doi ? h("span", {}, " · ", h("a", { href: `https://doi.org/${encodeURI(p.doi)}`, rel: "noopener noreferrer", target: "_blank" }, `DOI ${p.doi}`)) : null)))
    : empty());
}

function patentsSection(expert) {
  return section("patents", t("expert.patentsN", { n: expert.patents.length }), expert.patents.length
    ? h("ul", { class: "works" }, expert.patents.map((p) => h("li", {},
      h("span", { class: "work-title" }, p.title), " ",
      h("span", { class: "muted" }, [p.number, p.country ? countryName(p.country) : null, p.year].filter(Boolean).join(", ")), " ",
      p.granted ? badge(t("expert.granted"), "ok") : badge(t("expert.pending")),
      p.applied ? badge(t("expert.applied"), "ok") : null)))
    : empty());
}

function projectsSection(expert) {
  const led = expert.projects.filter((p) => p.relation === "LED");
  const other = expert.projects.filter((p) => p.relation !== "LED");
  const list = (projects) => h("ul", { class: "works" }, projects.map((p) => h("li", {},
    h("span", { class: "work-title" }, p.title), " ",
    h("span", { class: "muted" }, [enumLabel("ProjectScale", p.scale), years(p.startYear, p.endYear, t("expert.present"))].filter(Boolean).join(" · ")), " ",
    p.outcome ? badge(enumLabel("ProjectOutcome", p.outcome), ["APPLIED", "TRANSFERRED"].includes(p.outcome) ? "ok" : "") : null,
    p.summary ? h("p", { class: "muted small" }, p.summary) : null)));
  return section("projects", t("expert.projects"),
    h("h3", {}, t("expert.projectsLedN", { n: led.length })), led.length ? list(led) : empty(),
    other.length ? [h("h3", {}, t("expert.projectsOtherN", { n: other.length })), list(other)] : null);
}

function awardsSection(expert) {
  if (!expert.awards.length) return null;
  return section("awards", t("expert.awards"), h("ul", { class: "works" }, expert.awards.map((a) => h("li", {},
    a.title, a.year ? h("span", { class: "muted" }, ` ${a.year}`) : null, a.international ? [" ", badge(t("expert.international"), "ok")] : null))));
}

function contactSection(expert, account) {
  let body;
  if (expert.contact) {
    body = h("dl", { class: "facts" },
      expert.contact.email ? [h("dt", {}, t("expert.email")), h("dd", {}, h("a", { href: `mailto:${expert.contact.email}` }, expert.contact.email))] : null,
      expert.contact.phone ? [h("dt", {}, t("expert.phone")), h("dd", {}, h("a", { href: `tel:${expert.contact.phone.replace(/\s+/g, "")}` }, expert.contact.phone))] : null);
  } else if (!account) {
    body = h("p", { class: "muted" }, t("expert.contactSignIn"));
  } else if (["HR_AGENCY", "PROGRAMME_LEAD"].includes(account.role) && !expert.contactConsent) {
    body = h("p", { class: "muted" }, t("expert.contactNoConsent"));
  } else {
    body = h("p", { class: "muted" }, t("expert.contactHidden"));
  }
  return section("contact", t("expert.contact"), body);
}

function factsSection(expert) {
  const rows = [
    [t("expert.availability"), enumLabel("Availability", expert.availability) || "—"],
    expert.availableFrom ? [t("expert.availableFrom"), formatDate(expert.availableFrom)] : null,
    [t("expert.experience"), expert.yearsExperience == null ? t("expert.yearsUnknown") : t("expert.years", { n: expert.yearsExperience })],
    [t("expert.impact"), `h-index ${expert.hIndex} · ${t("expert.citationsN", { n: formatNumber(expert.citations) })}`],
    expert.languages.length ? [t("expert.languages"), expert.languages.map(languageName).join(", ")] : null,
    expert.nationalities.length ? [t("expert.nationalities"), expert.nationalities.map(countryName).join(", ")] : null,
    [t("expert.relocate"), expert.willingToRelocate ? t("common.yes") : t("common.no")],
    [t("expert.remote"), expert.remoteOk ? t("common.yes") : t("common.no")],
    expert.orcid ? [t("expert.orcid"), h("a", { href: `https://orcid.org/${expert.orcid}`, rel: "noopener noreferrer", target: "_blank" }, expert.orcid)] : null,
    expert.homepage && /^https?:\/\//i.test(expert.homepage) ? [t("expert.homepage"), h("a", { href: expert.homepage, rel: "noopener noreferrer", target: "_blank" }, expert.homepage)] : null,
    expert.updatedAt ? [t("expert.updated"), formatDate(expert.updatedAt)] : null,
  ].filter(Boolean);
  return section("facts", t("expert.facts"), h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])));
}

function collaboratorsSection(collaborators) {
  const list = collaborators || [];
  return section("collaborators", t("expert.collaborators"), list.length
    ? h("ul", { class: "people" }, list.map((c) => h("li", {},
      h("a", { href: `#/experts/${encodeURIComponent(c.expert.id)}` }, displayName(c.expert)),
      h("span", { class: "muted" }, ` · ${t("expert.sharedWorksN", { n: c.sharedCount })}`),
      c.sharedWorks.length ? h("p", { class: "small muted" }, c.sharedWorks.slice(0, 2).map((w) => w.title).join("; ")) : null)))
    : empty(t("expert.noCollaborators")));
}
