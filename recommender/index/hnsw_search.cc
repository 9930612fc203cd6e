#include "recommender/index/hnsw_search.h"

#include <faiss/impl/NSG.h>
#include <faiss/utils/Heap.h>

#include <memory>

namespace recommender {

void SearchHnswGraph(const faiss::IndexHNSW& index, const float* query,
                     int64_t k, faiss::VisitedTable& visited, float* distances,
                     faiss::Index::idx_t* labels) {
  // The graph minimizes: for inner products the computer negates them.
  std::unique_ptr<faiss::DistanceComputer> distance(
      faiss::nsg::storage_distance_computer(index.storage));
  distance->set_query(query);
  faiss::maxheap_heapify(k, distances, labels);
  index.hnsw.search(*distance, static_cast<int>(k), labels, distances, visited);
  faiss::maxheap_reorder(k, distances, labels);
  if (index.metric_type == faiss::METRIC_INNER_PRODUCT) {
    for (int64_t i = 0; i < k; ++i) distances[i] = -distances[i];
  }
}

}  // namespace recommender
