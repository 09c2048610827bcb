/**
 * The product taxonomy: channel topics and brand-safety categories.
 *
 * Topic ids are stable: they are stored in the database and sent over the API. Each topic maps to
 * its tier-1 category of the IAB Tech Lab Content Taxonomy 3.0 (unique ids from the official TSV;
 * a few tier-1 ids in 3.0 are alphanumeric, e.g. Entertainment "JLBCU7"), and where one exists, the
 * closest tier-2 category. Brand-safety categories follow the GARM brand-safety floor and map to the
 * IAB 3.0 "Sensitive Topics" children (gambling, absent from GARM's list, maps to "Casinos & Gambling").
 */

export const TOPIC_IDS = [
  'crypto',
  'finance',
  'business',
  'marketing',
  'technology',
  'science',
  'news_politics',
  'education',
  'career',
  'entertainment',
  'humor',
  'movies_tv',
  'music',
  'gaming',
  'sports',
  'health_fitness',
  'food_cooking',
  'travel',
  'fashion_beauty',
  'family_parenting',
  'auto',
  'real_estate',
  'lifestyle',
  'religion',
  'other',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

export const BRAND_SAFETY_IDS = [
  'adult',
  'gambling',
  'drugs',
  'weapons',
  'hate',
  'shocking_violent',
  'piracy',
  'scams_spam',
] as const;
export type BrandSafetyId = (typeof BRAND_SAFETY_IDS)[number];

export interface IabCategory {
  id: string;
  name: string;
}

export interface TopicDefinition {
  id: TopicId;
  name: string;
  /** IAB Content Taxonomy 3.0 tier-1 category; null for the catch-all. */
  iabTier1: IabCategory | null;
  /** The closest IAB 3.0 tier-2 category, when the topic is narrower than its tier 1. */
  iabTier2?: IabCategory;
}

export interface BrandSafetyDefinition {
  id: BrandSafetyId;
  name: string;
  /** The IAB Content Taxonomy 3.0 category that describes the same content. */
  iab: IabCategory;
}

const IAB = {
  automotive: { id: '1', name: 'Automotive' },
  businessAndFinance: { id: '52', name: 'Business and Finance' },
  careers: { id: '123', name: 'Careers' },
  education: { id: '132', name: 'Education' },
  entertainment: { id: 'JLBCU7', name: 'Entertainment' },
  familyAndRelationships: { id: '186', name: 'Family and Relationships' },
  foodAndDrink: { id: '210', name: 'Food & Drink' },
  healthyLiving: { id: '223', name: 'Healthy Living' },
  hobbiesAndInterests: { id: '239', name: 'Hobbies & Interests' },
  personalFinance: { id: '391', name: 'Personal Finance' },
  politics: { id: '386', name: 'Politics' },
  popCulture: { id: '432', name: 'Pop Culture' },
  realEstate: { id: '441', name: 'Real Estate' },
  religion: { id: '453', name: 'Religion & Spirituality' },
  science: { id: '464', name: 'Science' },
  sports: { id: '483', name: 'Sports' },
  styleAndFashion: { id: '552', name: 'Style & Fashion' },
  technology: { id: '596', name: 'Technology & Computing' },
  travel: { id: '653', name: 'Travel' },
  videoGaming: { id: '680', name: 'Video Gaming' },
} as const satisfies Record<string, IabCategory>;

export const TOPICS: readonly TopicDefinition[] = [
  { id: 'crypto', name: 'Crypto', iabTier1: IAB.businessAndFinance, iabTier2: { id: '80', name: 'Economy' } },
  { id: 'finance', name: 'Finance & investing', iabTier1: IAB.personalFinance, iabTier2: { id: '410', name: 'Personal Investing' } },
  { id: 'business', name: 'Business', iabTier1: IAB.businessAndFinance, iabTier2: { id: '53', name: 'Business' } },
  { id: 'marketing', name: 'Marketing & advertising', iabTier1: IAB.businessAndFinance, iabTier2: { id: '58', name: 'Marketing and Advertising' } },
  { id: 'technology', name: 'Technology', iabTier1: IAB.technology },
  { id: 'science', name: 'Science', iabTier1: IAB.science },
  { id: 'news_politics', name: 'News & politics', iabTier1: IAB.politics },
  { id: 'education', name: 'Education', iabTier1: IAB.education },
  { id: 'career', name: 'Careers & jobs', iabTier1: IAB.careers },
  { id: 'entertainment', name: 'Entertainment & celebrities', iabTier1: IAB.entertainment },
  { id: 'humor', name: 'Humor & memes', iabTier1: IAB.popCulture, iabTier2: { id: '440', name: 'Humor and Satire' } },
  { id: 'movies_tv', name: 'Movies & TV', iabTier1: IAB.entertainment, iabTier2: { id: '324', name: 'Movies' } },
  { id: 'music', name: 'Music', iabTier1: IAB.entertainment, iabTier2: { id: '338', name: 'Music' } },
  { id: 'gaming', name: 'Video games', iabTier1: IAB.videoGaming },
  { id: 'sports', name: 'Sports', iabTier1: IAB.sports },
  { id: 'health_fitness', name: 'Health & fitness', iabTier1: IAB.healthyLiving },
  { id: 'food_cooking', name: 'Food & cooking', iabTier1: IAB.foodAndDrink },
  { id: 'travel', name: 'Travel', iabTier1: IAB.travel },
  { id: 'fashion_beauty', name: 'Fashion & beauty', iabTier1: IAB.styleAndFashion },
  { id: 'family_parenting', name: 'Family & parenting', iabTier1: IAB.familyAndRelationships, iabTier2: { id: '192', name: 'Parenting' } },
  { id: 'auto', name: 'Cars & motoring', iabTier1: IAB.automotive },
  { id: 'real_estate', name: 'Real estate', iabTier1: IAB.realEstate },
  { id: 'lifestyle', name: 'Lifestyle & hobbies', iabTier1: IAB.hobbiesAndInterests },
  { id: 'religion', name: 'Religion & spirituality', iabTier1: IAB.religion },
  { id: 'other', name: 'Other', iabTier1: null },
];

export const BRAND_SAFETY_CATEGORIES: readonly BrandSafetyDefinition[] = [
  { id: 'adult', name: 'Adult & explicit sexual content', iab: { id: 'Rm3SiT', name: 'Adult & Explicit Sexual Content' } },
  { id: 'gambling', name: 'Gambling & betting', iab: { id: '181', name: 'Casinos & Gambling' } },
  { id: 'drugs', name: 'Illegal drugs', iab: { id: 'pg0WhF', name: 'Illegal Drugs, Tobacco, eCigarettes, Vaping, Alcohol' } },
  { id: 'weapons', name: 'Arms & ammunition', iab: { id: 'avbNf2', name: 'Arms & Ammunition' } },
  { id: 'hate', name: 'Hate speech & aggression', iab: { id: 'HxqYV1', name: 'Hate Speech and Acts of Aggression' } },
  { id: 'shocking_violent', name: 'Death, injury & shocking violence', iab: { id: 'I4GWl6', name: 'Death, Injury, or Military Conflict' } },
  { id: 'piracy', name: 'Online piracy', iab: { id: 'mm3UXx', name: 'Online Piracy' } },
  { id: 'scams_spam', name: 'Scams & spam', iab: { id: '6i4dB6', name: 'Spam or Harmful Content' } },
];

const topicIdSet: ReadonlySet<string> = new Set(TOPIC_IDS);
const brandSafetyIdSet: ReadonlySet<string> = new Set(BRAND_SAFETY_IDS);

export function isTopicId(value: string): value is TopicId {
  return topicIdSet.has(value);
}

export function isBrandSafetyId(value: string): value is BrandSafetyId {
  return brandSafetyIdSet.has(value);
}

export function getTopic(id: TopicId): TopicDefinition {
  const topic = TOPICS.find((candidate) => candidate.id === id);
  if (!topic) throw new Error(`unknown topic ${id}`);
  return topic;
}
