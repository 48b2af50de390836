//! The article page's view: its text beside its notes, the translation, the source to
//! verify and the citation. The largest view builder, so it has a file of its own.

use super::*;

impl Ctx<'_> {
    pub(super) fn article_view(&self, a: ArticleIx, diags: &mut Vec<Diagnostic>) -> ArticleView {
        self.read_article(a);
        let g = self.g;
        let art = &g.articles[a];
        let links = &g.article_links[a];
        let source = art
            .url
            .as_deref()
            .filter(|u| crate::markdown::is_safe_url(u));
        // Indexed once per article: each link searches the whole seed for its first match.
        let fragments = source.map(|_| crate::fragment::Document::new(&art.seed));
        let cites = citations::annotation_cite_views(&citations::annotations(g, a), &self.root);
        let annotations: Vec<AnnotationView> = art
            .annotations
            .iter()
            .zip(cites)
            .enumerate()
            .map(|(n, (ann, cite))| {
                let al = &links.annotations[n];
                AnnotationView {
                    id: ann.id.to_string(),
                    note_id: format!("note-{}", ann.id),
                    number: n + 1,
                    kind: ann.kind.as_str().into(),
                    kind_label: ann.kind.label().into(),
                    status: ann.status_name(),
                    quote: collapse(ann.range.of(art.text(ann.side))),
                    side: ann.side.as_str(),
                    note_html: self.html.notes[a][n].to_string(),
                    speaker: al.speaker.map(|s| self.entity_ref(s)),
                    entities: al.entities.iter().map(|&e| self.entity_ref(e)).collect(),
                    events: al.events.iter().map(|&e| self.event_ref(e)).collect(),
                    see: al.see.iter().map(|&r| self.annotation_ref(r)).collect(),
                    seen_from: al
                        .seen_from
                        .iter()
                        .map(|&r| self.annotation_ref(r))
                        .collect(),
                    source_link: source
                        .zip(fragments.as_ref())
                        .and_then(|(u, doc)| Some(doc.link(u, original_passage(art, ann)?))),
                    cite,
                    preview: ann.note.as_deref().map(plain_preview).unwrap_or_default(),
                }
            })
            .collect();
        let blocks = body_blocks(art, links, self.g.config.build.link_mentions, |e| {
            self.entity_ref(e)
        });
        let mut counts: BTreeMap<EntityIx, usize> = BTreeMap::new();
        for m in &links.mentions {
            *counts.entry(m.entity).or_default() += 1;
        }
        let mut entities: Vec<MentionCount> = counts
            .into_iter()
            .map(|(e, count)| MentionCount {
                entity: self.entity_ref(e),
                count,
            })
            .collect();
        entities.sort_by(|x, y| {
            y.count
                .cmp(&x.count)
                .then_with(|| x.entity.name.cmp(&y.entity.name))
        });
        let summary_html = self.html.summaries[a].to_string();
        let (summary_lead_html, summary_more_html) = split_first_paragraph(&summary_html);
        let outlet = links.outlet.map(|o| self.entity_ref(o));
        let mut view = ArticleView {
            id: art.id.to_string(),
            title: art.title.clone(),
            url: self.article_url(a),
            outlet,
            author: art.author.clone(),
            author_entity: links.author.map(|e| self.entity_ref(e)),
            published: art.published.as_ref().map(date_view),
            updated: art.updated.as_ref().map(date_view),
            source_url: art.url.clone().filter(|u| crate::markdown::is_safe_url(u)),
            language: art
                .language
                .clone()
                .unwrap_or_else(|| g.config.language.clone()),
            draft: art.draft,
            tags: art.tags.iter().map(|t| self.tag_ref(t)).collect(),
            summary_lead_html,
            summary_more_html,
            summary_html,
            blocks,
            annotations,
            events: links.events.iter().map(|&e| self.event_ref(e)).collect(),
            entities,
            see_also: links
                .see_also
                .iter()
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            related: links
                .related
                .iter()
                .filter(|r| !links.see_also.contains(r))
                .map(|&x| self.article_ref(x, diags))
                .collect(),
            prev: links.prev.map(|x| self.article_ref(x, diags)),
            next: links.next.map(|x| self.article_ref(x, diags)),
            json_ld: String::new(),
            translation: art.translation.as_ref().map(|t| TranslationView {
                language: t.language.clone(),
                label: language_label(&t.language),
                original_label: language_label(
                    art.language.as_deref().unwrap_or(&g.config.language),
                ),
                title: t.title.clone(),
                file: t.path.file_name().unwrap_or_default().to_owned(),
                sha256: t.sha256.clone(),
                original_url: routes::url(
                    &self.root,
                    &routes::original_translation(&art.slug, &t.language),
                ),
                text_url: routes::url(
                    &self.root,
                    &routes::translation_text(&art.slug, &t.language),
                ),
            }),
            source: SourceView {
                seed: art.seed_path.file_name().unwrap_or_default().to_owned(),
                sha256: art.source.sha256.clone(),
                archived: art.source.archived.clone(),
                retrieved: art.source.retrieved.as_ref().map(date_view),
                language: art
                    .source
                    .language
                    .clone()
                    .unwrap_or_else(|| g.config.language.clone()),
                language_label: language_label(
                    art.source.language.as_deref().unwrap_or(&g.config.language),
                ),
                original_url: routes::url(&self.root, &routes::original_text(&art.slug)),
                text_url: routes::url(&self.root, &routes::source_text(&art.slug)),
            },
            cite: citations::cite_view(&citations::article(g, a), &self.root),
        };
        view.json_ld = feeds::news_article_json_ld(
            &view,
            &g.config.base_url,
            &art.seed,
            &links
                .mentions
                .iter()
                .map(|m| m.entity)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|e| self.entity_ref(e))
                .collect::<Vec<_>>(),
        );
        view
    }
}
