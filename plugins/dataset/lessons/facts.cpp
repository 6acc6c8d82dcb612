#include "facts.h"

#include <forge/document.h>

#include "lessons.h"

#include <vector>

namespace forge::lessons {
namespace {

const std::vector<std::string> kFirst = {
    "Alder",  "Brina",   "Corvin", "Delphine", "Emrys",  "Fenna",   "Garrick",  "Hesper",
    "Ivo",    "Jessamy", "Kester", "Liora",    "Marek",  "Nerys",   "Osric",    "Perrin",
    "Quilla", "Roald",   "Sabine", "Tobiah",   "Ulla",   "Veit",    "Wren",     "Xanthe",
    "Yorick", "Zelda",   "Anselm", "Bettany",  "Cosmo",  "Dagny",   "Eamon",    "Fiora",
    "Gideon", "Henrike", "Isolde", "Jarvis",   "Katell", "Leander", "Mireille", "Niall"};
const std::vector<std::string> kLast = {
    "Voss",        "Harrow",   "Quell",     "Brandt",    "Tallis",  "Okonkwo",     "Marchetti",
    "Lindqvist",   "Farrow",   "Castellan", "Drummond",  "Ebbing",  "Fairweather", "Greaves",
    "Holloway",    "Ingram",   "Jessop",    "Kilbride",  "Lowther", "Merriman",    "Northcott",
    "Ormsby",      "Pendry",   "Quarles",   "Rookwood",  "Sallow",  "Thistlewood", "Underhill",
    "Vantongeren", "Wetherby", "Yardley",   "Zabriskie", "Ashdown", "Blackwood",   "Crabtree",
    "Dunmore",     "Elsworth", "Fenwick",   "Gallant",   "Hartigan"};
const std::vector<std::string> kCities = {
    "Kelmar",        "Ostrava Vale", "Brindlemoor", "Caskport",   "Dunhaven",
    "Elmsreach",     "Farrowgate",   "Glimmerholt", "Harwick",    "Isenford",
    "Juniper Cross", "Kestrel Bay",  "Lowmarsh",    "Mirefield",  "Northwold",
    "Oakhollow",     "Pellham",      "Quarry End",  "Ravensmoor", "Saltmere"};
const std::vector<std::string> kProfessions = {
    "clockmaker", "cartographer", "glassblower", "botanist",   "shipwright",        "astronomer",
    "bookbinder", "violin maker", "surveyor",    "apothecary", "lighthouse keeper", "engraver",
    "beekeeper",  "stonemason",   "printer",     "weaver",     "chemist",           "architect",
    "tailor",     "potter"};

}  // namespace

std::int64_t max_people() { return static_cast<std::int64_t>(kFirst.size() * kLast.size()); }

Person person(std::int64_t index, std::uint64_t seed, double known_fraction) {
  const auto f = static_cast<std::size_t>(index) % kFirst.size();
  const auto l = (static_cast<std::size_t>(index) / kFirst.size() + seed) % kLast.size();
  Generator g(mix64(seed ^ mix64(static_cast<std::uint64_t>(index))));
  Person p;
  p.name = kFirst[f] + " " + kLast[l];
  p.born = between(g, 1700, 1950);
  p.city = pick(g, kCities);
  p.profession = pick(g, kProfessions);
  p.known = g.uniform() < known_fraction;
  return p;
}

}  // namespace forge::lessons
