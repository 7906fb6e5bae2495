#include "ndtmoe_views/data_table_model.h"

#include <QColor>
#include <cmath>

namespace ndtmoe::views {

void DataTableModel::set_table(std::shared_ptr<const Table> table) {
  beginResetModel();
  table_ = std::move(table);
  endResetModel();
}

int DataTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() || !table_ ? 0 : static_cast<int>(table_->rows()); }
int DataTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : static_cast<int>(table_->columns.size());
}

QVariant DataTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || !table_) return {};
  const Column& column = table_->columns[static_cast<size_t>(index.column())];
  const double v = column.values[static_cast<size_t>(index.row())];
  if (role == Qt::ForegroundRole && std::isnan(v)) return QColor(0x9e9e9e);
  if (role == Qt::TextAlignmentRole && !column.nominal) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  if (std::isnan(v)) return tr("missing");
  if (column.nominal) return QString::fromStdString(column.categories.at(static_cast<size_t>(v)));
  return QString::number(v, 'g', 6);
}

QVariant DataTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || !table_) return QAbstractTableModel::headerData(section, orientation, role);
  if (orientation == Qt::Vertical) {
    const int64_t line = table_->source_lines[static_cast<size_t>(section)];
    return line > 0 ? QVariant(static_cast<qlonglong>(line)) : QVariant(section + 1);  // file line where known
  }
  const Column& c = table_->columns[static_cast<size_t>(section)];
  return QString::fromStdString(c.name) + (c.nominal ? tr(" (nominal)") : QString());
}

}  // namespace ndtmoe::views
