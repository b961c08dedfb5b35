//! The second phase of an import: each checked row resolved against the database (its organ,
//! category, matter, channel) and written inside the import's transaction, problems collected
//! per row. The rows come typed from the first phase (`Parsed`), one struct per record kind, so
//! each writer takes exactly its kind's fields.

use super::*;

pub(super) struct Ctx<'t> {
    pub(super) tx: &'t mut Tx,
    pub(super) default_organ: Option<String>,
    /// Organs looked up so far, by the key used.
    pub(super) organs: Vec<(String, Organ)>,
    /// Catalogue trees loaded so far, per organ id.
    pub(super) categories: Vec<(i64, Vec<Category>)>,
    /// Letter channels, loaded once (and again after one is added).
    pub(super) channels: Option<Vec<LetterChannel>>,
    pub(super) errors: Vec<CellError>,
    /// The change feed's entries of what was written, appended when every row is in.
    pub(super) changed: Vec<NewChange>,
    /// The organs created (an import of organs).
    pub(super) created: Vec<i64>,
}

/// A database error while writing row `row`, as that row's error.
fn row_db_error(row: usize) -> impl Fn(gongkai_store::Error) -> CellError + Copy {
    move |e| CellError {
        row,
        column: None,
        message: e.to_string(),
    }
}

fn cell(row: usize, column: &str, message: impl Into<String>) -> CellError {
    CellError {
        row,
        column: Some(column.to_string()),
        message: message.into(),
    }
}

impl Ctx<'_> {
    async fn organ(&mut self, row: usize, key: &Option<String>) -> Result<Organ, CellError> {
        let key = match key.as_ref().or(self.default_organ.as_ref()) {
            Some(k) => k.clone(),
            None => {
                return Err(cell(
                    row,
                    "机关",
                    "不能为空（或在命令行用 --organ 指定机关）",
                ));
            }
        };
        if let Some((_, o)) = self.organs.iter().find(|(k, _)| *k == key) {
            return Ok(o.clone());
        }
        match self.tx.find_organ(&key).await {
            Ok(Some(o)) => {
                self.organs.push((key, o.clone()));
                Ok(o)
            }
            Ok(None) => Err(cell(
                row,
                "机关",
                format!("找不到机关“{key}”（请先导入机关，或检查代码、全称）"),
            )),
            Err(e) => Err(cell(row, "机关", e.to_string())),
        }
    }

    pub(super) async fn write(&mut self, row: usize, p: &Parsed) -> Result<(), CellError> {
        match p {
            Parsed::Organ(p) => self.write_organ(row, p).await,
            Parsed::Item(p) => self.write_item(row, p).await,
            Parsed::Matter(p) => self.write_matter(row, p).await,
            Parsed::Decision(p) => self.write_decision(row, p).await,
            Parsed::Fee(p) => self.write_fee(row, p).await,
            Parsed::Procurement(p) => self.write_procurement(row, p).await,
            Parsed::Case(p) => self.write_case(row, p).await,
            Parsed::Letter(p) => self.write_letter(row, p).await,
        }
    }

    /// Writes a checked row of the organ kind.
    async fn write_organ(&mut self, row: usize, p: &OrganIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let OrganIn { new, parent } = p;
        let mut new = new.clone();
        if let Some(pk) = parent {
            let parent = match self.tx.find_organ(pk).await.map_err(dberr)? {
                Some(o) => o,
                None => {
                    return Err(cell(
                        row,
                        "上级机关",
                        format!("找不到上级机关“{pk}”（上级机关应在本文件中靠前的行或已导入）"),
                    ));
                }
            };
            new.parent_id = Some(parent.id);
        }
        if self
            .tx
            .find_organ(&new.code)
            .await
            .map_err(dberr)?
            .is_some()
        {
            return Err(cell(
                row,
                "机关代码",
                format!("机关代码“{}”已存在", new.code),
            ));
        }
        if self
            .tx
            .find_organ(&new.name)
            .await
            .map_err(dberr)?
            .is_some()
        {
            return Err(cell(row, "机关全称", format!("机关“{}”已存在", new.name)));
        }
        let organ = self.tx.create_organ(&new).await.map_err(dberr)?;
        self.created.push(organ.id);
        self.tx
            .seed_catalogue(organ.id, &CatalogueSeed::education())
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the item kind.
    async fn write_item(&mut self, row: usize, p: &ItemIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let ItemIn {
            organ,
            category,
            item,
        } = p;
        let o = self.organ(row, organ).await?;
        if !self.categories.iter().any(|(id, _)| *id == o.id) {
            let cats = self.tx.categories(o.id).await.map_err(dberr)?;
            self.categories.push((o.id, cats));
        }
        let cats = &self
            .categories
            .iter()
            .find(|(id, _)| *id == o.id)
            .expect("loaded")
            .1;
        let Some(cat) = find_category(cats, category) else {
            return Err(cell(
                row,
                "栏目",
                format!("{}的目录中没有栏目“{category}”", o.name),
            ));
        };
        let mut item = item.clone();
        item.organ_id = o.id;
        item.category_id = cat.id;
        if item.issuing_unit.is_empty() {
            item.issuing_unit = o.name.clone();
        }
        let written = self.tx.insert_item(&item).await.map_err(dberr)?;
        self.changed
            .push(import_change("item", written.id.to_string()));
        Ok(())
    }

    /// Writes a checked row of the matter kind.
    async fn write_matter(&mut self, row: usize, p: &MatterIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let MatterIn {
            organ,
            kind,
            name,
            listed,
            delisted,
        } = p;
        let o = self.organ(row, organ).await?;
        if self
            .tx
            .matter_by_name(o.id, Some(*kind), name)
            .await
            .map_err(dberr)?
            .is_some()
        {
            return Err(cell(
                row,
                "事项名称",
                format!("{}的{}事项“{name}”已存在", o.name, kind.label()),
            ));
        }
        self.tx
            .insert_matter(o.id, *kind, name, *listed, *delisted)
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the decision kind.
    async fn write_decision(&mut self, row: usize, p: &DecisionIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let DecisionIn {
            organ,
            matter,
            kind,
            date,
            number,
            party,
        } = p;
        let o = self.organ(row, organ).await?;
        let Some(m) = self
            .tx
            .matter_by_name(o.id, *kind, matter)
            .await
            .map_err(dberr)?
        else {
            return Err(cell(
                row,
                "事项名称",
                format!(
                    "{}的事项清单中没有“{matter}”（或名称重复，请填写事项类型）",
                    o.name
                ),
            ));
        };
        if m.kind == MatterKind::Fee {
            return Err(cell(
                row,
                "事项名称",
                format!("“{matter}”是收费事项，收费请用 fees 导入"),
            ));
        }
        self.tx
            .insert_decision(m.id, *date, number, party)
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the fee kind.
    async fn write_fee(&mut self, row: usize, p: &FeeIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let FeeIn {
            organ,
            matter,
            date,
            fen,
            note,
        } = p;
        let o = self.organ(row, organ).await?;
        let Some(m) = self
            .tx
            .matter_by_name(o.id, Some(MatterKind::Fee), matter)
            .await
            .map_err(dberr)?
        else {
            return Err(cell(
                row,
                "收费事项",
                format!("{}的行政事业性收费清单中没有“{matter}”", o.name),
            ));
        };
        self.tx
            .insert_fee(m.id, *date, *fen, note)
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the procurement kind.
    async fn write_procurement(&mut self, row: usize, p: &ProcurementIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let ProcurementIn {
            organ,
            name,
            date,
            fen,
        } = p;
        let o = self.organ(row, organ).await?;
        self.tx
            .insert_procurement(o.id, name, *date, *fen)
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the case kind.
    async fn write_case(&mut self, row: usize, p: &CaseIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let CaseIn {
            organ,
            kind,
            number,
            filed,
            application,
            outcome,
        } = p;
        let o = self.organ(row, organ).await?;
        self.tx
            .insert_case(o.id, *kind, number, *filed, application, *outcome)
            .await
            .map_err(dberr)?;
        Ok(())
    }

    /// Writes a checked row of the letter kind.
    async fn write_letter(&mut self, row: usize, p: &LetterIn) -> Result<(), CellError> {
        let dberr = row_db_error(row);
        let LetterIn {
            organ,
            channel,
            received,
            subject,
            reply,
            replied,
            due,
        } = p;
        let o = self.organ(row, organ).await?;
        if self.channels.is_none() {
            self.channels = Some(self.tx.letter_channels().await.map_err(dberr)?);
        }
        let channels = self.channels.clone().unwrap_or_default();
        let id = match channels
            .iter()
            .find(|c| c.name == *channel || c.full_name == *channel)
        {
            Some(c) => c.id,
            // Channels are configurable: a new name adds a channel.
            None => self
                .tx
                .add_letter_channel(channel, channel)
                .await
                .map_err(dberr)?,
        };
        let letter = self
            .tx
            .insert_letter(o.id, id, *received, subject, reply, *replied, *due)
            .await
            .map_err(dberr)?;
        self.changed
            .push(import_change("letter", letter.to_string()));
        Ok(())
    }
}
