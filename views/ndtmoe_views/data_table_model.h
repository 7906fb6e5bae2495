#pragma once
// An item model over a loaded data table (core's Table), for the data preview: no copy into widgets,
// so a 60,000-row file previews as fast as a small one.

#include <QAbstractTableModel>
#include <memory>

#include "ndtmoe/data/table.h"

namespace ndtmoe::views {

class DataTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  using QAbstractTableModel::QAbstractTableModel;
  void set_table(std::shared_ptr<const Table> table);
  const Table* table() const { return table_.get(); }
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::shared_ptr<const Table> table_;
};

}  // namespace ndtmoe::views
