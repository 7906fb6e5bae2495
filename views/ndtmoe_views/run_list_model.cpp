#include "ndtmoe_views/run_list_model.h"

#include <cmath>

namespace ndtmoe::views {

namespace {

// The model's test score: accuracy for classification, RMSE for regression; a dash when not measured.
QString score_text(const RunSummary& run, const char* model) {
  const double score = run.test_score(model);
  return std::isnan(score) ? QString("–") : QString::number(score, 'f', 4);
}

}  // namespace

RunListModel::RunListModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunListModel::set_runs(std::vector<RunSummary> runs) {
  beginResetModel();
  runs_ = std::move(runs);
  endResetModel();
}

int RunListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(runs_.size()); }

int RunListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : Columns; }

QVariant RunListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const RunSummary& r = runs_[static_cast<size_t>(index.row())];
  if (role == Qt::UserRole) return static_cast<qlonglong>(r.id);
  if (role == Qt::TextAlignmentRole && (index.column() == Id || index.column() >= Samples))
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && index.column() == Family) return QString::fromStdString(r.family_options_json);
  if (role == Qt::ToolTipRole && index.column() == Samples && !r.shard.empty())
    return tr("Shard %1 of a trace: samples %2 to %3 of the data. Join the shards into one run with ndtmoe store merge.")
        .arg(QString::fromStdString(r.shard)).arg(r.first_sample).arg(r.end_sample() - 1);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Id: return static_cast<qlonglong>(r.id);
    case Name: return QString::fromStdString(r.name);
    case Family: return QString::fromStdString(r.family);
    case Status: return QString::fromStdString(r.status);
    case Samples:
      if (!r.shard.empty()) return tr("%1/%2 (shard %3)").arg(r.traced_samples).arg(r.total_samples).arg(QString::fromStdString(r.shard));
      return QString("%1/%2").arg(r.traced_samples).arg(r.total_samples);
    case Student: return score_text(r, "student");
    case Teacher: return score_text(r, "teacher");
  }
  return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Id: return tr("Id");
    case Name: return tr("Name");
    case Family: return tr("Family");
    case Status: return tr("Status");
    case Samples: return tr("Samples");
    case Student: return tr("Student");
    case Teacher: return tr("Teacher");
  }
  return {};
}

}  // namespace ndtmoe::views
