/** The name and environment fields every key form starts with (form fields `name`, `environment`). */
export function KeyBasicsFields({ idPrefix, placeholder }: { idPrefix: string; placeholder: string }) {
  return (
    <>
      <label htmlFor={`${idPrefix}-name`}>Name</label>
      <input id={`${idPrefix}-name`} name="name" required maxLength={120} placeholder={placeholder} />
      <label htmlFor={`${idPrefix}-env`}>Environment</label>
      <select id={`${idPrefix}-env`} name="environment" defaultValue="test">
        <option value="test">test (sandbox credits)</option>
        <option value="live">live</option>
      </select>
    </>
  );
}
