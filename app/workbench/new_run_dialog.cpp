#include "new_run_dialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "family_options_form.h"
#include "ndtmoe/data/builtin_data.h"
#include "ndtmoe/model/predictor.h"
#include "ndtmoe/train/defaults.h"
#include "ndtmoe_views/data_table_model.h"

namespace ndtmoe::workbench {

namespace {

QSpinBox* spin(QWidget* parent, int low, int high, int value, const QString& tip) {
  auto* s = new QSpinBox(parent);
  s->setRange(low, high);
  s->setValue(value);
  s->setToolTip(tip);
  return s;
}

QDoubleSpinBox* real(QWidget* parent, double low, double high, double value, int decimals, const QString& tip) {
  auto* s = new QDoubleSpinBox(parent);
  s->setRange(low, high);
  s->setDecimals(decimals);
  s->setSingleStep(std::pow(10.0, -decimals + 1) / 2);
  s->setValue(value);
  s->setToolTip(tip);
  return s;
}

}  // namespace

NewRunDialog::NewRunDialog(QWidget* parent, const QString& source)
    : QDialog(parent), source_(new QComboBox(this)), status_(new QLabel(this)), preview_(new QTableView(this)),
      model_(new views::DataTableModel(this)), target_(new QComboBox(this)), task_(new QComboBox(this)), teacher_(new QComboBox(this)),
      device_(new QComboBox(this)), router_input_(new QComboBox(this)), student_(new QComboBox(this)), text_(new QComboBox(this)), family_(new FamilyOptionsForm(this)), name_(new QLineEdit(this)) {
  setWindowTitle(tr("New run"));
  const ExperimentConfig defaults = default_experiment_config();
  source_->setEditable(true);
  for (const QString& recent : QSettings().value("recent/data").toStringList()) source_->addItem(recent);
  for (const BuiltinInfo& b : builtin_datasets()) source_->addItem("builtin:" + QString::fromStdString(b.name));
  source_->setToolTip(tr("A CSV or ARFF file (optionally .gz), or a built-in generator"));
  auto* browse_button = new QPushButton(tr("Browse…"), this);
  connect(browse_button, &QPushButton::clicked, this, &NewRunDialog::browse);
  connect(source_, &QComboBox::textActivated, this, &NewRunDialog::load);
  // A path typed and left with Tab (or Return) is loaded too, so preview and target never show another file.
  connect(source_->lineEdit(), &QLineEdit::editingFinished, this, [this] {
    if (source_->currentText() != requested_) load(source_->currentText());
  });

  preview_->setModel(model_);
  preview_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  task_->addItem(tr("auto"), "auto");
  task_->addItem(tr("classification"), "classification");
  task_->addItem(tr("regression"), "regression");
  task_->setToolTip(tr("Auto: a nominal target, or one with at most 30 distinct integers, is classification"));
  target_->setToolTip(tr("The column to predict"));
  teacher_->setObjectName("teacher");
  teacher_->addItem(tr("transformer"), "transformer");
  teacher_->addItem(tr("random forest"), "forest");
  teacher_->addItem(tr("none"), "none");
  teacher_->setToolTip(tr("Train a transformer teacher or a random forest (classification; distilled from its out-of-bag "
                          "probabilities) and distill it, or train the student alone"));
  for (const char* d : {"auto", "cpu", "cuda"}) device_->addItem(d, d);
  for (const char* r : {"input", "hidden", "both"}) router_input_->addItem(r, r);
  router_input_->setToolTip(tr("What the routers read: the standardized input features, the layer's hidden state, or both"));
  student_->setObjectName("student");
  student_->addItem(tr("MoE layers over whole samples"), "mixture");
  student_->addItem(tr("transformer with MoE blocks, routing each token"), "transformer-moe");
  student_->setToolTip(tr("A transformer student routes every token (feature, patch or byte) on its own from its hidden state; "
                          "Layers is then its number of blocks, each with an MoE layer, and Width its token width"));
  // A token student's routers always read the token's hidden state.
  connect(student_, &QComboBox::currentIndexChanged, this, [this] { router_input_->setEnabled(student_->currentData() == "mixture"); });
  piecewise_bins_ = spin(this, 0, static_cast<int>(kMaxPiecewiseBins), static_cast<int>(defaults.student.piecewise_bins),
                         tr("The student's (and the MLP baseline's) first layer piecewise-linear in each input, over this many bins "
                            "at quantiles of the training rows: thresholds in the inputs, as trees have (0: linear)"));
  piecewise_bins_->setObjectName("piecewise_bins");
  piecewise_bins_->setSpecialValueText(tr("linear"));
  // Only the stack of MoE layers has a linear first layer to replace (a transformer, IMoIE do not).
  auto enable_piecewise = [this] {
    ModelConfig student;
    student.family = family_->family().toStdString();
    piecewise_bins_->setEnabled(student_->currentData() == "mixture" && has_linear_first_layer(student));
  };
  connect(student_, &QComboBox::currentIndexChanged, this, enable_piecewise);
  connect(family_, &FamilyOptionsForm::changed, this, enable_piecewise);
  text_->setObjectName("text");
  text_->setToolTip(tr("A column of free text, read one UTF-8 byte per token (ARFF string attributes are text already); it must be the only feature"));
  device_->setToolTip(tr("auto uses the GPU when libtorch sees one"));
  name_->setPlaceholderText(tr("run name (default: the data's name and the time)"));
  layers_ = spin(this, 1, 32, static_cast<int>(defaults.student.layers), tr("MoE layers"));
  experts_ = spin(this, 1, 4096, static_cast<int>(defaults.student.experts), tr("Experts per layer"));
  top_k_ = spin(this, 1, 64, static_cast<int>(defaults.student.top_k), tr("Experts each sample is sent to"));
  width_ = spin(this, 4, 4096, static_cast<int>(defaults.student.d_model), tr("Hidden width d"));
  epochs_ = spin(this, 1, 10000, static_cast<int>(defaults.student_training.epochs), tr("Student epochs (early stopping may end sooner)"));
  batch_ = spin(this, 1, 65536, static_cast<int>(defaults.student_training.batch_size), tr("Samples per step"));
  teacher_epochs_ = spin(this, 1, 10000, static_cast<int>(defaults.teacher_training.epochs), tr("Teacher epochs"));
  teacher_epochs_->setObjectName("teacher_epochs");
  // Only the transformer trains for epochs; the forest is grown in one pass.
  connect(teacher_, &QComboBox::currentIndexChanged, this, [this] { teacher_epochs_->setEnabled(teacher_->currentData() == "transformer"); });
  image_ = new QLineEdit(this);
  image_->setObjectName("image");
  image_->setPlaceholderText(tr("no (e.g. 8x8)"));
  image_->setToolTip(tr("When the feature columns are the pixels of one image per row (row-major, like digits.csv), "
                        "its size HxW or CxHxW: the teacher becomes a vision transformer"));
  patch_ = spin(this, 1, 64, static_cast<int>(defaults.teacher.patch), tr("Side of the square patches the vision teacher reads"));
  patch_->setObjectName("patch");
  conv_stem_ = spin(this, 0, 512, static_cast<int>(defaults.teacher.conv_stem),
                    tr("Channels of a 3x3 convolution the vision teacher runs before cutting patches (0: none)"));
  conv_stem_->setObjectName("conv_stem");
  augment_shift_ = spin(this, 0, 16, static_cast<int>(defaults.teacher_augmentation.max_shift),
                        tr("Image data: shift each of the teacher's training images by up to this many pixels (0: none)"));
  augment_shift_->setObjectName("augment_shift");
  augment_flip_ = new QCheckBox(tr("mirror"), this);
  augment_flip_->setObjectName("augment_flip");
  augment_flip_->setToolTip(tr("Image data: mirror half of the teacher's training images left to right"));
  test_time_mirror_ = new QCheckBox(tr("predict from mirrors too"), this);
  test_time_mirror_->setObjectName("test_time_mirror");
  test_time_mirror_->setToolTip(tr("Image data: the teacher predicts the mean of its logits for each image and its mirror "
                                   "(test-time augmentation)"));
  seed_ = spin(this, 0, 1000000, 0, tr("Seed of splits, initialisation and shuffling"));
  lr_ = real(this, 1e-5, 1.0, defaults.student_training.lr, 5, tr("Peak learning rate (warm-up, then cosine decay)"));
  alpha_ = real(this, 0.0, 1.0, defaults.student_training.loss.alpha, 2, tr("Weight of the task loss; 1 - alpha weighs distillation"));
  temperature_ = real(this, 0.1, 50.0, defaults.student_training.loss.temperature, 1, tr("Distillation temperature T"));
  dropout_ = real(this, 0.0, 0.9, defaults.student.dropout, 2, tr("Dropout in the experts"));
  lambda_lb_ = real(this, 0.0, 10.0, defaults.student_training.loss.lambda_lb, 3, tr("Weight of the load-balancing loss"));
  patience_ = spin(this, 0, 10000, static_cast<int>(defaults.student_training.patience), tr("Epochs without validation improvement before stopping (0: never)"));
  scaling_ = new QComboBox(this);
  scaling_->setObjectName("numeric_scaling");
  scaling_->addItem(tr("standard (z-scores)"), to_string(NumericScaling::Standard));
  scaling_->addItem(tr("quantile (rank-Gaussian)"), to_string(NumericScaling::Quantile));
  scaling_->setCurrentIndex(scaling_->findData(to_string(defaults.numeric_scaling)));
  scaling_->setToolTip(tr("How numeric features are scaled before the models read them: z-scores, or through their training quantiles "
                          "onto a normal distribution (as NODE does), which tames skewed features and outliers. Images stay z-scored."));
  tune_ = new QLineEdit(this);
  tune_->setObjectName("tune");
  tune_->setPlaceholderText(tr("off (e.g. 40 trials or 20m)"));
  tune_->setToolTip(tr("Search the learning rate, weight decay, dropout, batch size, experts, width, tree depth, scaling, piecewise bins and the "
                       "teacher's settings first, by 3-fold cross-validation of the training rows alone (TPE sampler), "
                       "for this many trials or this long; every trial is kept with the run"));

  auto* data_row = new QHBoxLayout;
  data_row->addWidget(source_, 1);
  data_row->addWidget(browse_button);
  auto* data_form = new QFormLayout;
  data_form->addRow(tr("Data:"), data_row);
  labels_ = new QLineEdit(this);
  labels_->setObjectName("labels");
  labels_->setPlaceholderText(tr("beside the images (X-labels-idx1-ubyte)"));
  labels_->setToolTip(tr("IDX images only: their labels file, when it is not beside them under MNIST's name"));
  connect(labels_, &QLineEdit::editingFinished, this, [this] {
    if (labels_->text().trimmed() != requested_labels_) load(source_->currentText());
  });
  data_form->addRow(tr("Labels (IDX):"), labels_);
  data_form->addRow(status_);
  auto* target_row = new QHBoxLayout;
  target_row->addWidget(target_, 1);
  target_row->addWidget(task_);
  data_form->addRow(tr("Target:"), target_row);
  auto* model_form = new QFormLayout;
  model_form->addRow(tr("Name:"), name_);
  model_form->addRow(tr("Student:"), student_);
  model_form->addRow(family_);
  model_form->addRow(tr("Layers:"), layers_);
  model_form->addRow(tr("Experts:"), experts_);
  model_form->addRow(tr("Top-k:"), top_k_);
  model_form->addRow(tr("Width:"), width_);
  model_form->addRow(tr("Router reads:"), router_input_);
  model_form->addRow(tr("Dropout:"), dropout_);
  model_form->addRow(tr("Piecewise bins:"), piecewise_bins_);
  auto* training_form = new QFormLayout;
  training_form->addRow(tr("Epochs:"), epochs_);
  training_form->addRow(tr("Batch size:"), batch_);
  training_form->addRow(tr("Learning rate:"), lr_);
  training_form->addRow(tr("Teacher:"), teacher_);
  training_form->addRow(tr("Teacher epochs:"), teacher_epochs_);
  auto* image_row = new QHBoxLayout;
  image_row->addWidget(image_, 1);
  image_row->addWidget(new QLabel(tr("patch"), this));
  image_row->addWidget(patch_);
  image_row->addWidget(new QLabel(tr("conv. stem"), this));
  image_row->addWidget(conv_stem_);
  training_form->addRow(tr("Pixels as image:"), image_row);
  training_form->addRow(tr("Text column:"), text_);
  auto* augment_row = new QHBoxLayout;
  augment_row->addWidget(new QLabel(tr("shift ±"), this));
  augment_row->addWidget(augment_shift_);
  augment_row->addWidget(augment_flip_);
  augment_row->addWidget(test_time_mirror_);
  augment_row->addStretch(1);
  training_form->addRow(tr("Teacher augmentation:"), augment_row);
  training_form->addRow(tr("Alpha:"), alpha_);
  training_form->addRow(tr("Temperature:"), temperature_);
  training_form->addRow(tr("Load balance λ:"), lambda_lb_);
  training_form->addRow(tr("Patience:"), patience_);
  training_form->addRow(tr("Numeric scaling:"), scaling_);
  training_form->addRow(tr("Tune first:"), tune_);
  training_form->addRow(tr("Device:"), device_);
  training_form->addRow(tr("Seed:"), seed_);
  auto* settings = new QHBoxLayout;
  settings->addLayout(model_form);
  settings->addLayout(training_form);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Train"));
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    if (!loaded()) return;
    const QString problem = image_problem();
    if (!problem.isEmpty()) {
      status_->setText(tr("<span style='color:#c62828'>%1</span>").arg(problem.toHtmlEscaped()));
      image_->setFocus();
      return;
    }
    const QString family = family_problem();
    if (!family.isEmpty()) {
      status_->setText(tr("<span style='color:#c62828'>%1</span>").arg(family.toHtmlEscaped()));
      return;
    }
    const QString tuning = tuning_problem();
    if (!tuning.isEmpty()) {
      status_->setText(tr("<span style='color:#c62828'>%1</span>").arg(tuning.toHtmlEscaped()));
      tune_->setFocus();
      return;
    }
    accept();
  });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(data_form);
  layout->addWidget(preview_, 1);
  layout->addLayout(settings);
  layout->addWidget(buttons);
  resize(900, 700);
  load(source.isEmpty() ? source_->itemText(0) : source);
}

NewRunDialog::~NewRunDialog() = default;

void NewRunDialog::browse() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open data"), {}, tr("Data (*.csv *.arff *.gz *-ubyte);;All files (*)"));
  if (!path.isEmpty()) load(path);
}

void NewRunDialog::load(const QString& source) {
  requested_ = source;
  requested_labels_ = labels_->text().trimmed();
  const std::string labels = requested_labels_.toStdString();
  source_->setCurrentText(source);
  status_->setText(tr("Loading %1…").arg(source));
  model_->set_table(nullptr);
  tasks_.run([self = QPointer<NewRunDialog>(this), source, labels](const std::atomic<bool>&) {
    std::shared_ptr<const Table> table;
    QString error;
    try {
      table = std::make_shared<const Table>(load_data_source(source.toStdString(), 0, 0, labels));
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    QMetaObject::invokeMethod(qApp, [self, source, table, error] {
      if (self) self->table_loaded(source, table, error);
    });
  });
}

void NewRunDialog::table_loaded(const QString& source, std::shared_ptr<const Table> table, const QString& error) {
  if (source != source_->currentText()) return;  // a newer choice is loading
  if (!table) {
    status_->setText(tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
    return;
  }
  model_->set_table(table);
  if (!source.startsWith("builtin:")) {  // remembered for the next New run
    QSettings settings;
    QStringList recent = settings.value("recent/data").toStringList();
    recent.removeAll(source);
    recent.prepend(source);
    settings.setValue("recent/data", recent.mid(0, 8));
  }
  target_->clear();
  text_->clear();
  text_->addItem(tr("none"), QString());
  for (const Column& c : table->columns) {
    target_->addItem(QString::fromStdString(c.name));
    if (c.nominal && !c.text) text_->addItem(QString::fromStdString(c.name), QString::fromStdString(c.name));
  }
  target_->setCurrentIndex(target_->count() - 1);
  status_->setText(tr("%1 rows, %2 columns").arg(table->rows()).arg(table->columns.size()));
  // The student's epochs and patience for this many training rows, as `ndtmoe train` chooses them.
  const auto training_rows = static_cast<int64_t>(static_cast<double>(table->rows()) * (1.0 - DataDescription{}.test_fraction));
  epochs_->setValue(static_cast<int>(default_student_epochs(training_rows, batch_->value(), default_experiment_config().validation_fraction)));
  patience_->setValue(static_cast<int>(default_patience(epochs_->value())));
  // Columns named PREFIX_ROW_COL over a full grid declare images, as `ndtmoe train` reads them.
  Table features;
  for (size_t i = 0; i + 1 < table->columns.size(); ++i) {
    const Column& c = table->columns[i];
    features.columns.push_back(Column{c.name, c.nominal, {}, {}, c.text});
  }
  const std::vector<int64_t> shape = table->image_shape.empty() ? image_shape_from_column_names(features) : std::vector<int64_t>{};
  experts_->setValue(static_cast<int>(default_experts(table->image_shape.empty() ? shape : table->image_shape)));
  image_->clear();  // the declaration belongs to the file it was made for
  if (!shape.empty()) {
    image_->setText(QString("%1x%2").arg(shape[1]).arg(shape[2]));
    patch_->setValue(static_cast<int>(default_patch(shape)));
    status_->setText(tr("%1 rows, %2 columns; the column names declare %3x%4 images").arg(table->rows()).arg(table->columns.size()).arg(shape[1]).arg(shape[2]));
  }
}

bool NewRunDialog::loaded() const { return model_->table() != nullptr; }

QString NewRunDialog::family_problem() const {
  ModelConfig student;
  student.experts = experts_->value();
  student.top_k = std::min(top_k_->value(), experts_->value());
  return family_->apply_to(student);
}

QString NewRunDialog::image_problem() const {
  if (image_->text().trimmed().isEmpty() || !loaded()) return {};
  try {
    const std::vector<int64_t> shape = parse_image_shape(image_->text().trimmed().toStdString());
    const int64_t pixels = shape[0] * shape[1] * shape[2];
    const auto features = static_cast<int64_t>(model_->table()->columns.size()) - 1;  // all but the target
    if (pixels != features) return tr("An image of %1 has %2 pixels, but the data has %3 feature columns.").arg(image_->text()).arg(pixels).arg(features);
    if (shape[1] % patch_->value() != 0 || shape[2] % patch_->value() != 0)
      return tr("The patch size %1 does not divide the image size %2.").arg(patch_->value()).arg(image_->text());
  } catch (const std::invalid_argument& e) {
    return tr("Pixels as image: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

QString NewRunDialog::tuning_problem() const {
  if (tune_->text().trimmed().isEmpty()) return {};
  try {
    parse_tuning_budget(tune_->text().trimmed().toStdString());
  } catch (const std::invalid_argument& e) {
    return tr("Tune first: %1").arg(QString::fromStdString(e.what()));
  }
  return {};
}

NewRun NewRunDialog::chosen() const {
  NewRun run;
  run.config = default_experiment_config();  // what the form does not show stays as `ndtmoe train` has it
  run.data = DataDescription::holdout(source_->currentText().toStdString());
  run.data.target = target_->currentIndex() == target_->count() - 1 ? std::string() : target_->currentText().toStdString();
  run.data.task = task_->currentData().toString().toStdString();
  run.data.seed = static_cast<uint64_t>(seed_->value());
  if (!image_->text().trimmed().isEmpty() && image_problem().isEmpty()) run.data.image_shape = parse_image_shape(image_->text().trimmed().toStdString());
  run.data.text_column = text_->currentData().toString().toStdString();
  run.data.labels = labels_->text().trimmed().toStdString();
  ExperimentConfig& c = run.config;
  c.teacher.patch = patch_->value();
  c.teacher.conv_stem = conv_stem_->value();
  // Shifts and mirrors only mean something for images: declared here or by the data source itself.
  const bool images = !run.data.image_shape.empty() || (loaded() && !model_->table()->image_shape.empty());
  if (images) c.teacher_augmentation = {augment_shift_->value(), augment_flip_->isChecked(), test_time_mirror_->isChecked()};
  c.student.layers = layers_->value();
  c.student.experts = experts_->value();
  c.student.top_k = std::min(top_k_->value(), experts_->value());
  c.student.d_model = width_->value();
  c.student.router_input = router_input_from_string(router_input_->currentData().toString().toStdString());
  c.student.dropout = dropout_->value();
  c.student.piecewise_bins = piecewise_bins_->isEnabled() ? piecewise_bins_->value() : 0;
  c.student.kind = model_kind_from_string(student_->currentData().toString().toStdString());
  c.student.blocks = layers_->value();  // a token student: one MoE layer per block
  c.student.d_token = width_->value();
  c.student.patch = patch_->value();
  family_->apply_to(c.student);  // accept() refused the dialog while this had a problem
  c.student_training.loss.lambda_lb = lambda_lb_->value();
  c.student_training.patience = patience_->value();
  c.student_training.epochs = epochs_->value();
  c.student_training.batch_size = batch_->value();
  c.student_training.lr = lr_->value();
  c.student_training.loss.alpha = alpha_->value();
  c.student_training.loss.temperature = temperature_->value();
  c.teacher_training.epochs = teacher_epochs_->value();
  c.numeric_scaling = numeric_scaling_from_string(scaling_->currentData().toString().toStdString());
  if (!tune_->text().trimmed().isEmpty() && tuning_problem().isEmpty()) run.tuning = parse_tuning_budget(tune_->text().trimmed().toStdString());
  c.teacher_kind = teacher_kind_from_string(teacher_->currentData().toString().toStdString());
  c.device = device_->currentData().toString().toStdString();
  c.seed = run.data.seed;
  tie_teacher_to_student(c);
  run.name = name_->text().trimmed();
  if (run.name.isEmpty())
    run.name = QFileInfo(source_->currentText().section(':', -1)).completeBaseName() + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
  return run;
}

}  // namespace ndtmoe::workbench
