/** Marketplace's categories: which kinds may use each and the attributes it takes (services/Ahod.Marketplace/README.md). */
export const kinds = [
  { value: 'sale', label: 'For sale' },
  { value: 'rent', label: 'For rent' },
  { value: 'job', label: 'Job' },
  { value: 'service', label: 'Service' },
] as const;

export const priceUnits = ['item', 'hour', 'day', 'week', 'month'] as const;

export type AttributeField =
  | { name: string; label: string; type: 'choice'; values: string[]; required?: boolean }
  | { name: string; label: string; type: 'integer'; min: number; max: number; required?: boolean }
  | { name: string; label: string; type: 'text'; required?: boolean }
  | { name: string; label: string; type: 'choices'; values: string[]; required?: boolean }
  | { name: string; label: string; type: 'boolean' };

export type Category = { name: string; label: string; kinds: string[]; attributes: AttributeField[] };

const goods = ['sale', 'rent'];
const services = ['service', 'job'];
const seniorCare = ['transportation', 'householdTasks', 'personalCare', 'mobility', 'companionship', 'specializedCare'];

export const categories: Category[] = [
  { name: 'goods', label: 'Goods', kinds: goods, attributes: [] },
  { name: 'electronics', label: 'Electronics', kinds: goods, attributes: [] },
  { name: 'books', label: 'Books', kinds: goods, attributes: [] },
  { name: 'housing', label: 'Housing', kinds: goods, attributes: [{ name: 'bedrooms', label: 'Bedrooms', type: 'integer', min: 0, max: 50 }] },
  { name: 'jobs', label: 'Jobs', kinds: ['job'], attributes: [{ name: 'employment', label: 'Employment', type: 'choice', values: ['full-time', 'part-time', 'gig'] }] },
  {
    name: 'tutoring',
    label: 'Tutoring',
    kinds: services,
    attributes: [
      { name: 'level', label: 'Level', type: 'choice', values: ['primary', 'secondary', 'university', 'adult'], required: true },
      { name: 'subject', label: 'Subject', type: 'text', required: true },
      { name: 'schoolYear', label: 'School year', type: 'integer', min: 1, max: 20 },
    ],
  },
  {
    name: 'housekeeping',
    label: 'Housekeeping',
    kinds: services,
    attributes: [{ name: 'tasks', label: 'Tasks', type: 'choices', values: ['cleaning', 'laundry', 'cooking', 'shopping'], required: true }],
  },
  {
    name: 'senior-care',
    label: 'Senior care',
    kinds: services,
    attributes: seniorCare.map((name) => ({ name, label: name.replace(/([A-Z])/g, ' $1').toLowerCase(), type: 'boolean' as const })),
  },
];

export function categoriesFor(kind: string): Category[] {
  return categories.filter((c) => c.kinds.includes(kind));
}

/** The form's attribute values (all text or lists) as the JSON the API takes; empty optional values are left out. */
export function attributesJson(category: Category | undefined, values: Record<string, string | string[] | boolean>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const field of category?.attributes ?? []) {
    const value = values[field.name];
    if (field.type === 'boolean') result[field.name] = value === true;
    else if (field.type === 'choices') {
      if (Array.isArray(value) && value.length) result[field.name] = value;
    } else if (typeof value === 'string' && value.trim() !== '') {
      result[field.name] = field.type === 'integer' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim();
    }
  }
  return result;
}
