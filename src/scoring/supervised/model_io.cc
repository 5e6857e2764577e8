// Model::Save / Model::Load: the model as one JSON document.
#include <nlohmann/json.hpp>

#include "scoring/supervised/internal/model_impl.h"
#include "scoring/supervised/supervised.h"

namespace zm::scoring::supervised {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "zm.supervised";
// 2: dense feature list by name, k-NN index, Naive Bayes counts, NBSVM; 3: no k-NN, learners
// linear, logistic, trees, nbsvm (a version 2 model without k-NN still loads); 4: spelling
// dictionary ("speller") and key concepts ("concepts"); older models load without them and
// predict exactly as before.
constexpr int kVersion = 4;

json TreeToJson(const internal::Tree& t) {
  return json{{"left", t.left},
              {"right", t.right},
              {"feature", t.feature},
              {"value", t.value},
              {"default_left", t.default_left},
              {"cover", t.cover}};
}

json ReportToJson(const TrainReport& r) {
  json learners = json::array();
  for (const LearnerReport& l : r.learners)
    learners.push_back({{"name", l.name},
                        {"weight", l.weight},
                        {"cv_pearson", l.cv_pearson},
                        {"cv_qwk", l.cv_qwk}});
  // train_seconds is not saved: Save() depends only on the data and the options.
  return json{{"examples", r.examples},     {"max_label", r.max_label},
              {"cv_qwk", r.cv_qwk},         {"cv_qwk_rounded", r.cv_qwk_rounded},
              {"cv_pearson", r.cv_pearson}, {"thresholds", r.thresholds},
              {"learners", learners},       {"vocabulary", r.vocabulary},
              {"data_hash", r.data_hash}};
}

TrainReport ReportFromJson(const json& j) {
  TrainReport r;
  r.examples = j.at("examples").get<size_t>();
  r.max_label = j.at("max_label").get<int>();
  r.cv_qwk = j.at("cv_qwk").get<double>();
  r.cv_qwk_rounded = j.at("cv_qwk_rounded").get<double>();
  r.cv_pearson = j.at("cv_pearson").get<double>();
  r.thresholds = j.at("thresholds").get<std::vector<double>>();
  for (const json& l : j.at("learners"))
    r.learners.push_back({l.at("name").get<std::string>(), l.at("weight").get<double>(),
                          l.at("cv_pearson").get<double>(), l.at("cv_qwk").get<double>()});
  r.vocabulary = j.at("vocabulary").get<size_t>();
  r.data_hash = j.at("data_hash").get<std::string>();
  return r;
}

std::unexpected<Error> Bad(const std::string& what) {
  return InvalidArgument("not a valid supervised model: " + what);
}

}  // namespace

std::string Model::Save() const {
  const Impl& m = *impl_;
  const internal::Components& c = m.c;
  const FeatureOptions& f = m.features;
  json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["max_label"] = m.max_label;
  j["prompt"] = m.prompt;
  j["uses_reference"] = m.uses_reference;
  j["features"] = {{"char_min_n", f.char_min_n},         {"char_max_n", f.char_max_n},
                   {"word_min_n", f.word_min_n},         {"word_max_n", f.word_max_n},
                   {"word_skip", f.word_skip},           {"min_df", f.min_df},
                   {"max_vocabulary", f.max_vocabulary}, {"spell_min_df", f.spell_min_df}};
  j["speller"] = m.speller.empty()
                     ? json(nullptr)
                     : json{{"words", m.speller.WordsUtf8()}, {"counts", m.speller.counts()}};
  j["vocabulary"] = {{"hashes", c.vocab.hashes()}, {"idf", c.vocab.idf()}};
  j["dense_names"] = m.DenseNames();
  j["scaler"] = {{"mean", c.scaler.mean}, {"inv_sd", c.scaler.inv_sd}};
  j["linear"] = c.has[0] ? json{{"w", c.linear.w}, {"bias", c.linear.bias}} : json(nullptr);
  j["logistic"] =
      c.has[1]
          ? json{{"classes", c.logistic.classes}, {"w", c.logistic.w}, {"bias", c.logistic.bias}}
          : json(nullptr);
  if (c.has[2]) {
    json trees = json::array();
    for (const internal::Tree& t : c.trees.trees) trees.push_back(TreeToJson(t));
    j["trees"] = {{"base_score", c.trees.base_score},
                  {"ngrams", c.trees.ngrams},
                  {"ngram_names", c.trees.ngram_names},
                  {"trees", trees}};
  } else {
    j["trees"] = nullptr;
  }
  j["nb"] =
      c.has_nb
          ? json{{"alpha", c.nb.alpha}, {"label_docs", c.nb.label_docs}, {"counts", c.nb.counts}}
          : json(nullptr);
  j["concepts"] = c.has_concepts ? json{{"members", c.concepts.members}, {"lift", c.concepts.lift}}
                                 : json(nullptr);
  j["nbsvm"] = c.has[3] ? json{{"w", c.nbsvm.w}, {"bias", c.nbsvm.bias}} : json(nullptr);
  j["weights"] = m.weights;
  j["thresholds"] = m.thresholds;
  j["report"] = ReportToJson(m.report);
  return j.dump();
}

Result<Model> Model::Load(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("malformed JSON");
  auto impl = std::make_unique<Impl>();
  try {
    if (j.at("format") != kFormat) return Bad("format is not zm.supervised");
    const int version = j.at("version").get<int>();
    if (version < 1 || version > kVersion) return Bad("unsupported version");
    impl->max_label = j.at("max_label").get<int>();
    if (impl->max_label < 1 || impl->max_label > 31) return Bad("max_label out of range");
    impl->prompt = j.at("prompt").get<std::string>();
    impl->uses_reference = j.at("uses_reference").get<bool>();
    const json& f = j.at("features");
    FeatureOptions& fo = impl->features;
    fo.char_min_n = f.at("char_min_n").get<int>();
    fo.char_max_n = f.at("char_max_n").get<int>();
    fo.word_min_n = f.at("word_min_n").get<int>();
    fo.word_max_n = f.at("word_max_n").get<int>();
    fo.word_skip = f.value("word_skip", 0);
    fo.min_df = f.at("min_df").get<int>();
    fo.max_vocabulary = f.at("max_vocabulary").get<size_t>();
    fo.spell_min_df = f.value("spell_min_df", 0);
    if (version >= 4 && j.contains("speller") && !j.at("speller").is_null()) {
      const auto words = j.at("speller").at("words").get<std::vector<std::string>>();
      const auto counts = j.at("speller").at("counts").get<std::vector<uint32_t>>();
      if (words.size() != counts.size()) return Bad("speller sizes differ");
      impl->speller = internal::Speller::FromParts(words, counts);
    }
    if (fo.char_min_n < 1 || fo.char_max_n > 8 || fo.word_min_n < 1 || fo.word_max_n > 5 ||
        fo.word_skip < 0 || fo.word_skip > 8)
      return Bad("n-gram ranges out of range");

    auto hashes = j.at("vocabulary").at("hashes").get<std::vector<uint64_t>>();
    auto idf = j.at("vocabulary").at("idf").get<std::vector<float>>();
    if (hashes.size() != idf.size()) return Bad("vocabulary sizes differ");
    for (size_t i = 0; i < hashes.size(); ++i)
      if (hashes[i] == 0 || (i > 0 && hashes[i] <= hashes[i - 1]))
        return Bad("vocabulary hashes not strictly ascending");
    const size_t vocab = hashes.size();
    internal::Components& c = impl->c;
    c.vocab = internal::Vocabulary::FromParts(std::move(hashes), std::move(idf));
    if (version == 2 && !j.at("knn").is_null())
      return Bad("k-NN models are no longer supported; retrain the model");
    if (version >= 2 && !j.at("nb").is_null()) {
      const json& k = j["nb"];
      internal::NbEvidence& x = c.nb;
      x.max_label = impl->max_label;
      x.alpha = k.at("alpha").get<double>();
      if (k.value("detail", false))
        return Bad("detailed Naive Bayes features are no longer supported; retrain the model");
      x.label_docs = k.at("label_docs").get<std::vector<uint32_t>>();
      x.counts = k.at("counts").get<std::vector<uint32_t>>();
      if (!x.Restore(c.vocab)) return Bad("Naive Bayes counts");
      c.has_nb = true;
    }
    if (version >= 4 && j.contains("concepts") && !j.at("concepts").is_null()) {
      c.concepts.members = j["concepts"].at("members").get<std::vector<std::vector<uint32_t>>>();
      c.concepts.lift = j["concepts"].at("lift").get<std::vector<float>>();
      if (!c.concepts.Restore(vocab)) return Bad("concepts");
      c.has_concepts = true;
    }
    c.dense = c.DenseCount();
    if (j.at("dense_names").get<std::vector<std::string>>() != impl->DenseNames())
      return Bad("dense feature list differs from this version");
    c.scaler.mean = j.at("scaler").at("mean").get<std::vector<float>>();
    c.scaler.inv_sd = j.at("scaler").at("inv_sd").get<std::vector<float>>();
    if (c.scaler.mean.size() != c.dense || c.scaler.inv_sd.size() != c.dense)
      return Bad("scaler size");
    const size_t dim = vocab + c.dense;
    if (!j.at("linear").is_null()) {
      c.linear.w = j["linear"].at("w").get<std::vector<float>>();
      c.linear.bias = j["linear"].at("bias").get<float>();
      if (c.linear.w.size() != dim) return Bad("linear weights size");
      c.linear.dense = c.dense;
      c.has[0] = true;
    }
    if (!j.at("logistic").is_null()) {
      c.logistic.classes = j["logistic"].at("classes").get<std::vector<int>>();
      c.logistic.w = j["logistic"].at("w").get<std::vector<float>>();
      c.logistic.bias = j["logistic"].at("bias").get<std::vector<float>>();
      c.logistic.dim = dim;
      c.logistic.dense = c.dense;
      const size_t k = c.logistic.classes.size();
      const size_t rows = k == 2 ? 1 : k;
      if (k < 2 || k > 32 || c.logistic.bias.size() != rows || c.logistic.w.size() != rows * dim)
        return Bad("logistic weights size");
      c.has[1] = true;
    }
    if (!j.at("trees").is_null()) {
      const json& t = j["trees"];
      c.trees.dense = c.dense;
      c.trees.base_score = t.at("base_score").get<float>();
      if (t.value("stacked", size_t{0}) != 0)
        return Bad("trees stacked on other learners are no longer supported; retrain the model");
      c.trees.ngrams = t.at("ngrams").get<std::vector<uint32_t>>();
      c.trees.ngram_names = t.at("ngram_names").get<std::vector<std::string>>();
      for (uint32_t g : c.trees.ngrams)
        if (g >= vocab) return Bad("tree n-gram index out of range");
      const size_t columns = c.trees.columns();
      for (const json& jt : t.at("trees")) {
        internal::Tree tree;
        tree.left = jt.at("left").get<std::vector<int32_t>>();
        tree.right = jt.at("right").get<std::vector<int32_t>>();
        tree.feature = jt.at("feature").get<std::vector<uint32_t>>();
        tree.value = jt.at("value").get<std::vector<float>>();
        tree.cover = jt.at("cover").get<std::vector<float>>();
        tree.default_left = jt.at("default_left").get<std::vector<uint8_t>>();
        const size_t nodes = tree.value.size();
        if (nodes == 0 || tree.left.size() != nodes || tree.right.size() != nodes ||
            tree.feature.size() != nodes || tree.cover.size() != nodes ||
            tree.default_left.size() != nodes)
          return Bad("tree arrays differ in size");
        for (size_t i = 0; i < nodes; ++i) {
          if (tree.left[i] < 0) continue;
          // Children must come after their parent (no cycles) and be in range.
          if (static_cast<size_t>(tree.left[i]) <= i ||
              static_cast<size_t>(tree.left[i]) >= nodes ||
              tree.right[i] <= static_cast<int32_t>(i) ||
              static_cast<size_t>(tree.right[i]) >= nodes || tree.feature[i] >= columns)
            return Bad("tree structure");
        }
        tree.ComputeMeans();
        c.trees.trees.push_back(std::move(tree));
      }
      c.has[2] = true;
    }
    if (version >= 2 && !j.at("nbsvm").is_null()) {
      c.nbsvm.vocab = vocab;
      c.nbsvm.w = j["nbsvm"].at("w").get<std::vector<float>>();
      c.nbsvm.bias = j["nbsvm"].at("bias").get<std::vector<float>>();
      if (c.nbsvm.bias.size() != static_cast<size_t>(impl->max_label) ||
          c.nbsvm.w.size() != c.nbsvm.bias.size() * vocab)
        return Bad("nbsvm weights size");
      c.has[3] = true;
    }
    if (!c.has[0] && !c.has[1] && !c.has[2] && !c.has[3]) return Bad("no learner");
    auto weights = j.at("weights").get<std::vector<double>>();
    if (version == 2 && weights.size() == 5) weights.erase(weights.begin() + 3);  // k-NN slot
    if (weights.size() > internal::kLearners) return Bad("weights size");
    std::copy(weights.begin(), weights.end(), impl->weights.begin());
    impl->thresholds = j.at("thresholds").get<std::vector<double>>();
    if (impl->thresholds.size() != static_cast<size_t>(impl->max_label))
      return Bad("thresholds size");
    impl->report = ReportFromJson(j.at("report"));
  } catch (const json::exception& e) {
    return Bad(e.what());
  }
  impl->Derive();
  return Model(std::move(impl));
}

}  // namespace zm::scoring::supervised
